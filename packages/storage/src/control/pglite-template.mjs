// Where this installation keeps its PGlite template: one initdb result, gzipped, named after
// the PGlite version so an upgraded package never unpacks a directory of another PostgreSQL.
// Plain JavaScript: pglite-init.child.mjs runs under plain node, without the TypeScript loader.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package does not export its package.json; it sits one folder above its entry (dist/).
// A scale-out image prunes PGlite: then there is no template, and nothing here may throw.
function pgliteVersion() {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    return JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'absent';
  }
}

export const PGLITE_TEMPLATE = fileURLToPath(new URL(`../../pglite-template-${pgliteVersion()}.tar.gz`, import.meta.url));
