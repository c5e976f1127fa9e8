import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCESS_TOKEN_KEY, SIGNING_KEY_FILE, type SqlDb, storedSigningKey } from '@unmogrowp/storage';

/** The Ed25519 pair that signs and checks access tokens. */
export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Where the private key came from, for the start-up log (never the key itself). */
  source: 'env' | 'file' | 'generated' | 'database';
}

export interface SigningKeyOptions {
  /** PEM (PKCS#8) from `JWT_PRIVATE_KEY`; every API process of a scale-out deployment needs the same one. */
  privateKeyPem?: string | null;
  /** Used when no PEM is given: `${dataDir}/jwt-ed25519.pem`, created on first start. */
  dataDir: string;
  /**
   * The control database when it is a shared PostgreSQL (DATABASE_URL): the key lives there, so
   * every API process of the deployment accepts the tokens of every other.
   */
  control?: SqlDb;
}

export { SIGNING_KEY_FILE };

/** Anything beyond the owner's read/write on the key file is refused, like ssh does. */
const LOOSE_PERMISSION_BITS = 0o077;

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/**
 * The configured key; else, on a shared PostgreSQL, the one in its signing_keys table (created
 * once); else the one in DATA_DIR, or a new one written there with mode 0600.
 * Creation is atomic (written to a temp file, then hard-linked into place), so two processes
 * starting at once end up with the same key.
 */
export async function loadSigningKeys(options: SigningKeyOptions): Promise<SigningKeys> {
  if (options.privateKeyPem?.trim()) return { ...fromPem(options.privateKeyPem, 'JWT_PRIVATE_KEY'), source: 'env' };
  if (options.control?.kind === 'postgres') {
    const { pem, created } = await storedSigningKey(options.control, ACCESS_TOKEN_KEY, newPem);
    return { ...fromPem(pem, 'the signing_keys table'), source: created ? 'generated' : 'database' };
  }
  const file = join(options.dataDir, SIGNING_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) return { ...fromPem(existing, file), source: 'file' };
  await mkdir(options.dataDir, { recursive: true });
  const pem = newPem();
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process won the race: use its key.
    await unlink(temp);
    return { ...fromPem((await readKeyFile(file))!, file), source: 'file' };
  }
  await unlink(temp);
  return { ...fromPem(pem, file), source: 'generated' };
}

function newPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function readKeyFile(file: string): Promise<string | null> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (process.platform !== 'win32' && (mode & LOOSE_PERMISSION_BITS) !== 0) {
    throw new SigningKeyError(`${file} is readable by other users (mode ${(mode & 0o777).toString(8)}): run chmod 600 on it`);
  }
  return readFile(file, 'utf8');
}

function fromPem(pem: string, origin: string): Pick<SigningKeys, 'privateKey' | 'publicKey'> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new SigningKeyError(`${origin} is not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${origin} must be an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
