import {
  addMember,
  createAppWithManager,
  createUser,
  getAccountById,
  issueRefreshToken,
  type SqlDb,
  type User,
  updateUser,
} from '@unmogrowp/storage';
import { hashPassword } from '../../src/security/passwords.ts';
import type { SigningKeys } from '../../src/security/signing-keys.ts';
import { newRefreshToken, signAccessToken } from '../../src/security/tokens.ts';

/** A password the policy accepts; every seeded user has it (one argon2 hash per test file). */
export const PASSWORD = 'correct horse battery staple 42';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes, asserted field by field
  body: any;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to the API listener; JSON in, JSON (or text) out. */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (e.g. /metrics)
  }
  return { status: res.status, headers: res.headers, body };
}

let sharedHash: Promise<string> | undefined;

/** Users straight in the store (argon2 once per file, not once per user); the first one of a store is admin. */
export async function seedUser(db: SqlDb, email: string, name = email.split('@')[0]!): Promise<User> {
  sharedHash ??= hashPassword(PASSWORD);
  return createUser(db, { email, name, password_hash: await sharedHash });
}

/** A valid access token for the user's current session epoch, as a sign-in would issue. */
export async function accessTokenFor(db: SqlDb, signing: SigningKeys, userId: string): Promise<string> {
  const account = await getAccountById(db, userId);
  if (!account) throw new Error(`no user ${userId}`);
  return (await signAccessToken(signing, { userId, sessionEpoch: account.session_epoch })).token;
}

export async function refreshTokenFor(db: SqlDb, userId: string): Promise<string> {
  const token = newRefreshToken();
  await issueRefreshToken(db, userId, { token, expires_in_seconds: 3600 });
  return token;
}

/** An app with a manager and an analyst (and optionally more members), straight in the store. */
export async function seedApp(
  db: SqlDb,
  manager: string,
  members: { user: string; role: 'manager' | 'analyst' }[] = [],
  name = 'Matrix app',
): Promise<{ id: string; sdkKey: string; serverKey: string }> {
  const created = await createAppWithManager(db, manager, { name, platforms: ['ios', 'android'] });
  for (const m of members) await addMember(db, created.app.id, m.user, m.role);
  return { id: created.app.id, sdkKey: created.sdk_key, serverKey: created.server_key };
}

export async function disableUser(db: SqlDb, userId: string): Promise<void> {
  await updateUser(db, userId, { disabled: true });
}
