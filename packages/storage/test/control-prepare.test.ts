import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openControlStore, prepareControlStore } from '../src/control/control-store.ts';

// The CLI's `start` creates a new embedded control store from the installation's template,
// unpacked as files beside it and renamed into place (pglite-db.ts): the directory it leaves
// must be one the server opens and migrates like any other.
describe('prepareControlStore (embedded)', () => {
  it('creates the data directory from the template, and the store opens, migrates and answers', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-prepare-'));
    await prepareControlStore({ dataDir, databaseUrl: null });
    expect(existsSync(path.join(dataDir, 'control', 'PG_VERSION'))).toBe(true);
    await prepareControlStore({ dataDir, databaseUrl: null }); // already there: nothing to do
    const db = await openControlStore({ dataDir, databaseUrl: null });
    try {
      expect(await db.query<{ n: number }>('SELECT 1 + 1 AS n')).toEqual([{ n: 2 }]);
      expect((await db.query('SELECT * FROM apps')).length).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('takes an empty directory, leaves no scratch beside it, and never replaces files it did not write', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-prepare-'));
    await mkdir(path.join(dataDir, 'control'));
    await prepareControlStore({ dataDir, databaseUrl: null });
    expect(existsSync(path.join(dataDir, 'control', 'PG_VERSION'))).toBe(true);
    expect(await readdir(dataDir)).toEqual(['control']);

    const other = await mkdtemp(path.join(tmpdir(), 'unmogrowp-prepare-'));
    await mkdir(path.join(other, 'control'));
    await writeFile(path.join(other, 'control', 'notes.txt'), 'not a control store');
    await expect(prepareControlStore({ dataDir: other, databaseUrl: null })).rejects.toThrow(/control/);
    expect(await readdir(path.join(other, 'control'))).toEqual(['notes.txt']);
    expect(await readdir(other)).toEqual(['control']);
  });

  it('says which directory it could not create', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-prepare-'));
    await writeFile(path.join(dataDir, 'control'), 'a file where the directory should be');
    await expect(prepareControlStore({ dataDir, databaseUrl: null })).rejects.toThrow(/control/);
  });
});
