// Makes the PGlite template (the data directory of one initdb, gzipped tar), then exits; run
// as its own short-lived process by `npm install` (no argument) and by pglite-db.ts
// (initPgliteDir) when a directory must be created and there is no template yet (then it also
// loads the new template into that directory). initdb runs three WebAssembly instances at once
// and touches ~800 MB, which a process never gives back; a child returns it when it exits.
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
