import { getApp, getMemberRole, type SqlDb } from '@unmogrowp/storage';
import type { AppAccess, Decision, Principal } from '../../security/policy.ts';

/**
 * The caller's standing in the app named by the URL, for the app policies: a user's role in it
 * (null: not a member, or no such app — the same answer, so existence is not revealed). Keys and
 * anonymous callers have no role; the policy decides from the principal alone.
 */
export async function resolveAppAccess(db: SqlDb, principal: Principal, appId: string): Promise<AppAccess> {
  if (principal?.kind !== 'user') return { app_id: appId, member_role: null };
  return { app_id: appId, member_role: await getMemberRole(db, appId, principal.id) };
}

/**
 * Admins pass the app policies without being members, so for them "allow" still needs the app
 * to exist: an unknown or deleted app is 404 for everyone. A member's role, and a server key
 * (resolved only while its app is live), already prove it.
 */
export async function confirmAppExists(db: SqlDb, decision: Decision, access: AppAccess, principal: Principal): Promise<Decision> {
  if (decision !== 'allow' || principal?.kind !== 'user' || access.member_role !== null) return decision;
  return (await getApp(db, access.app_id)) ? 'allow' : 'not_found';
}
