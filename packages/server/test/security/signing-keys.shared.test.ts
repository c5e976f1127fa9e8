import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openControlStore, type SqlDb } from '@unmogrowp/storage';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createThrowawayDatabase,
  describeWithPostgres,
  probePostgres,
  type ThrowawayDatabase,
} from '../../../storage/test/support/postgres.ts';
import { loadSigningKeys } from '../../src/security/signing-keys.ts';
import { signAccessToken, verifyAccessToken } from '../../src/security/tokens.ts';

const availability = await probePostgres();

describeWithPostgres('signing key shared through PostgreSQL (several api processes)', availability, () => {
  let db: ThrowawayDatabase;
  const stores: SqlDb[] = [];
  let dir: string;
  beforeAll(async () => {
    db = await createThrowawayDatabase();
    dir = await mkdtemp(join(tmpdir(), 'unmogrowp-keys-pg-'));
    // Separate connections stand for separate processes starting at the same moment.
    for (let i = 0; i < 4; i++) stores.push(await openControlStore({ dataDir: dir, databaseUrl: db.url }));
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('processes starting at once agree on one key, and accept each other’s tokens', async () => {
    const keys = await Promise.all(stores.map((control, i) => loadSigningKeys({ dataDir: join(dir, `p${i}`), control })));
    expect(keys.filter((k) => k.source === 'generated')).toHaveLength(1);
    expect(keys.filter((k) => k.source === 'database')).toHaveLength(3);
    const raw = keys.map((k) => k.publicKey.export({ format: 'der', type: 'spki' }).toString('hex'));
    expect(new Set(raw).size).toBe(1);
    const { token } = await signAccessToken(keys[0]!, { userId: 'u1', sessionEpoch: 0 });
    for (const k of keys) expect((await verifyAccessToken(k, token)).ok).toBe(true);
    // Nothing was written into the data directories: the key lives only in the database.
    expect(await readdir(dir)).toEqual([]);
  });

  it('a later start reads the same key; JWT_PRIVATE_KEY still wins over the database', async () => {
    const before = await loadSigningKeys({ dataDir: dir, control: stores[0]! });
    const again = await loadSigningKeys({ dataDir: dir, control: stores[1]! });
    expect(again.source).toBe('database');
    expect(again.publicKey.export({ format: 'der', type: 'spki' })).toEqual(before.publicKey.export({ format: 'der', type: 'spki' }));
    const pem = (await import('node:crypto')).generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const fromEnv = await loadSigningKeys({ dataDir: dir, control: stores[2]!, privateKeyPem: pem });
    expect(fromEnv.source).toBe('env');
  });
});
