import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKeys, SIGNING_KEY_FILE, SigningKeyError } from '../../src/security/signing-keys.ts';
import { signAccessToken, verifyAccessToken } from '../../src/security/tokens.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unmogrowp-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pemOf = (type: 'ed25519' | 'ec') =>
  (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('signing keys', () => {
  it('generates an Ed25519 key into DATA_DIR with mode 0600 on first start, and reuses it later', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await loadSigningKeys({ dataDir });
    expect(first.source).toBe('generated');
    expect(first.privateKey.asymmetricKeyType).toBe('ed25519');
    const file = join(dataDir, SIGNING_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const second = await loadSigningKeys({ dataDir });
    expect(second.source).toBe('file');
    const { token } = await signAccessToken(first, { userId: 'usr_a', sessionEpoch: 0 });
    expect((await verifyAccessToken(second, token)).ok).toBe(true);
  });

  it('ends up with one key when several processes start at once', async () => {
    const loaded = await Promise.all(Array.from({ length: 6 }, () => loadSigningKeys({ dataDir: dir })));
    const publics = new Set(loaded.map((k) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString()));
    expect(publics.size).toBe(1);
    expect(loaded.filter((k) => k.source === 'generated')).toHaveLength(1);
  });

  it('takes the key from JWT_PRIVATE_KEY when given, and writes nothing', async () => {
    const pem = pemOf('ed25519');
    const keys = await loadSigningKeys({ dataDir: dir, privateKeyPem: pem });
    expect(keys.source).toBe('env');
    await expect(stat(join(dir, SIGNING_KEY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    const fromFile = await loadSigningKeys({ dataDir: dir });
    const { token } = await signAccessToken(keys, { userId: 'usr_a', sessionEpoch: 0 });
    expect((await verifyAccessToken(fromFile, token)).ok).toBe(false);
  });

  it('refuses a key that is not Ed25519, is not a key, or is readable by others', async () => {
    await expect(loadSigningKeys({ dataDir: dir, privateKeyPem: pemOf('ec') })).rejects.toThrow(/Ed25519/);
    await expect(loadSigningKeys({ dataDir: dir, privateKeyPem: 'not a pem' })).rejects.toBeInstanceOf(SigningKeyError);
    const file = join(dir, SIGNING_KEY_FILE);
    await writeFile(file, pemOf('ed25519'), { mode: 0o600 });
    await chmod(file, 0o644);
    await expect(loadSigningKeys({ dataDir: dir })).rejects.toThrow(/chmod 600/);
  });
});
