import type { SqlDb } from './sql-db.ts';

/** The embedded profile's access-token key, in DATA_DIR (mode 0600). */
export const SIGNING_KEY_FILE = 'jwt-ed25519.pem';
/** The row of signing_keys holding the access-token key on a shared PostgreSQL. */
export const ACCESS_TOKEN_KEY = 'access_token_ed25519';

/**
 * The PEM stored for `purpose`, or `candidate` stored now if there is none. Race-safe: processes
 * starting at once each offer a new key, one insert wins (`on conflict do nothing`), and all of
 * them read back the winner, so they sign and verify with the same key.
 */
export async function storedSigningKey(db: SqlDb, purpose: string, candidate: () => string): Promise<{ pem: string; created: boolean }> {
  const offered = candidate();
  const inserted = await db.query<{ purpose: string }>(
    'insert into signing_keys (purpose, private_key_pem) values ($1, $2) on conflict (purpose) do nothing returning purpose',
    [purpose, offered],
  );
  if (inserted.length > 0) return { pem: offered, created: true };
  const rows = await db.query<{ private_key_pem: string }>('select private_key_pem from signing_keys where purpose = $1', [purpose]);
  return { pem: rows[0]!.private_key_pem, created: false };
}
