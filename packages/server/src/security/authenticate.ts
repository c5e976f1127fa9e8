import type { UserAccount } from '@unmogrowp/storage';
import type { Principal } from './policy.ts';
import type { SigningKeys } from './signing-keys.ts';
import { verifyAccessToken } from './tokens.ts';

/**
 * Who is calling, from the `Authorization` header: an access token (a user, checked against the
 * account as stored now) or a server key (the pull API). Routes turn the principal into a
 * decision through `policy.ts`; every refusal here is one 401 to the client, its reason goes to
 * the audit trail.
 */
export type BearerRefusal = 'malformed' | 'invalid' | 'expired' | 'unknown_user' | 'disabled' | 'session_ended' | 'unknown_key' | 'sdk_key';

export type BearerResult =
  | { status: 'anonymous' }
  | { status: 'authenticated'; principal: NonNullable<Principal>; account: UserAccount | null }
  | { status: 'refused'; refusal: BearerRefusal; user_id?: string };

export interface BearerDeps {
  keys: SigningKeys;
  /** `getAccountById` from the control store. */
  loadAccount: (userId: string) => Promise<UserAccount | null>;
  /** The app key resolver (cached `findKey`). */
  resolveKey: (presented: string) => Promise<{ app_id: string; kind: 'sdk' | 'server' } | null>;
}

const KEY_PREFIXES = ['srv_', 'sdk_'];

export async function authenticateBearer(header: string | undefined, deps: BearerDeps, now: Date = new Date()): Promise<BearerResult> {
  if (header === undefined || header === '') return { status: 'anonymous' };
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  if (!match) return { status: 'refused', refusal: 'malformed' };
  const token = match[1]!;
  if (KEY_PREFIXES.some((p) => token.startsWith(p))) return fromKey(token, deps);
  const check = await verifyAccessToken(deps.keys, token, now);
  if (!check.ok) return { status: 'refused', refusal: check.reason };
  const userId = check.claims.sub;
  const account = await deps.loadAccount(userId);
  if (!account) return { status: 'refused', refusal: 'unknown_user', user_id: userId };
  if (account.user.disabled) return { status: 'refused', refusal: 'disabled', user_id: userId };
  if (check.claims.sv !== account.session_epoch) return { status: 'refused', refusal: 'session_ended', user_id: userId };
  return {
    status: 'authenticated',
    principal: { kind: 'user', id: account.user.id, role: account.user.role, disabled: false },
    account,
  };
}

/** Only a server key authenticates; an SDK key ships inside apps and proves nothing. */
async function fromKey(token: string, deps: BearerDeps): Promise<BearerResult> {
  const key = await deps.resolveKey(token);
  if (!key) return { status: 'refused', refusal: 'unknown_key' };
  if (key.kind !== 'server') return { status: 'refused', refusal: 'sdk_key' };
  return { status: 'authenticated', principal: { kind: 'server_key', app_id: key.app_id }, account: null };
}
