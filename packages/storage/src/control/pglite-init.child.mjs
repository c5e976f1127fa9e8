// Creates a PGlite data directory, then exits; run as its own short-lived process by
// pglite-db.ts (initPgliteDirInChild) and by `npm install` (with no directory: only the
// template). Two costs it keeps out of the server process:
// - initdb runs three WebAssembly instances at once and touches ~800 MB, which a process never
//   gives back; a child returns it when it exits.
// - so that even a first start stays small, a new directory is unpacked from a template (the
//   result of one initdb, made at install or by the first initdb here) instead of running
//   initdb: ~350 MB at most in this child.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_TEMPLATE as TEMPLATE } from './pglite-template.mjs';

async function makeTemplate() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'unmogrowp-pglite-template-'));
  try {
    const pg = await PGlite.create({ dataDir: scratch });
    const dump = Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer());
    await pg.close();
    const partial = `${TEMPLATE}.${process.pid}.tmp`;
    writeFileSync(partial, dump);
    renameSync(partial, TEMPLATE); // whole or absent, even when two installs race
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const dir = process.argv[2];
if (!existsSync(TEMPLATE)) await makeTemplate();
if (dir) {
  const pg = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([readFileSync(TEMPLATE)]) });
  await pg.close();
}
