import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserAccount } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBearer, type BearerDeps } from '../../src/security/authenticate.ts';
import { loadSigningKeys, type SigningKeys } from '../../src/security/signing-keys.ts';
import { signAccessToken } from '../../src/security/tokens.ts';

let dir: string;
let keys: SigningKeys;
const accounts = new Map<string, UserAccount>();
const account = (id: string, over: Partial<UserAccount['user']> = {}, epoch = 0): UserAccount => ({
  user: { id, email: `${id}@example.com`, name: id, role: 'user', disabled: false, created_at: '2024-01-01T00:00:00.000Z', ...over },
  password_hash: '$argon2id$…',
  session_epoch: epoch,
});
const SERVER_KEY = `srv_${'A'.repeat(43)}`;
const SDK_KEY = `sdk_${'B'.repeat(32)}`;
let deps: BearerDeps;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unmogrowp-authn-'));
  keys = await loadSigningKeys({ dataDir: dir });
  for (const a of [account('usr_ann', { role: 'admin' }), account('usr_bob', { disabled: true }), account('usr_cat', {}, 2)])
    accounts.set(a.user.id, a);
  deps = {
    keys,
    loadAccount: async (id) => accounts.get(id) ?? null,
    resolveKey: async (k) =>
      k === SERVER_KEY ? { app_id: 'app_x', kind: 'server' } : k === SDK_KEY ? { app_id: 'app_x', kind: 'sdk' } : null,
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bearer = async (userId: string, sessionEpoch = 0) => `Bearer ${(await signAccessToken(keys, { userId, sessionEpoch })).token}`;

describe('authenticateBearer', () => {
  it('is anonymous without a header', async () => {
    expect(await authenticateBearer(undefined, deps)).toEqual({ status: 'anonymous' });
    expect(await authenticateBearer('', deps)).toEqual({ status: 'anonymous' });
  });

  it('authenticates a user from a valid access token, with the role as stored now', async () => {
    const result = await authenticateBearer(await bearer('usr_ann'), deps);
    expect(result).toMatchObject({ status: 'authenticated', principal: { kind: 'user', id: 'usr_ann', role: 'admin', disabled: false } });
    expect(await authenticateBearer((await bearer('usr_ann')).replace('Bearer', 'bearer'), deps)).toMatchObject({
      status: 'authenticated',
    });
  });

  it('refuses the token of a disabled user, of an unknown user, and one from an ended session', async () => {
    expect(await authenticateBearer(await bearer('usr_bob'), deps)).toEqual({ status: 'refused', refusal: 'disabled', user_id: 'usr_bob' });
    expect(await authenticateBearer(await bearer('usr_gone'), deps)).toEqual({
      status: 'refused',
      refusal: 'unknown_user',
      user_id: 'usr_gone',
    });
    expect(await authenticateBearer(await bearer('usr_cat', 1), deps)).toEqual({
      status: 'refused',
      refusal: 'session_ended',
      user_id: 'usr_cat',
    });
    expect(await authenticateBearer(await bearer('usr_cat', 2), deps)).toMatchObject({ status: 'authenticated' });
  });

  it('refuses malformed headers, bad and expired tokens', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Token abc']) {
      expect(await authenticateBearer(header, deps)).toEqual({ status: 'refused', refusal: 'malformed' });
    }
    expect(await authenticateBearer('Bearer not.a.jwt', deps)).toEqual({ status: 'refused', refusal: 'invalid' });
    const old = await signAccessToken(keys, { userId: 'usr_ann', sessionEpoch: 0 }, new Date(Date.now() - 3600_000));
    expect(await authenticateBearer(`Bearer ${old.token}`, deps)).toEqual({ status: 'refused', refusal: 'expired' });
  });

  it('takes a server key as the pull-API principal, never an SDK key', async () => {
    expect(await authenticateBearer(`Bearer ${SERVER_KEY}`, deps)).toEqual({
      status: 'authenticated',
      principal: { kind: 'server_key', app_id: 'app_x' },
      account: null,
    });
    expect(await authenticateBearer(`Bearer ${SDK_KEY}`, deps)).toEqual({ status: 'refused', refusal: 'sdk_key' });
    expect(await authenticateBearer(`Bearer srv_${'C'.repeat(43)}`, deps)).toEqual({ status: 'refused', refusal: 'unknown_key' });
  });
});
