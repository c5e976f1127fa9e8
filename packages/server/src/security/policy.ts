/**
 * The one authorization layer (docs/api.md §4): every route asks a policy here; no route compares
 * roles itself. Policies are pure: the route loads the principal and, for app routes, the
 * caller's membership, then maps the decision to a status with `DECISION_STATUS`.
 *
 * - `unauthenticated` → 401: nobody signed in, a disabled account, or a credential this route
 *   does not take (a server key outside the pull API).
 * - `not_found` → 404: not a member of the app — its existence is not revealed.
 * - `forbidden` → 403: a member (or signed-in user) without the right.
 */
export type GlobalRole = 'admin' | 'user';
export type MemberRole = 'manager' | 'analyst';

export type Principal = { kind: 'user'; id: string; role: GlobalRole; disabled: boolean } | { kind: 'server_key'; app_id: string } | null;

/** What the route knows about the app in the URL: its id and the caller's role in it (null: none, or no such app). */
export interface AppAccess {
  app_id: string;
  member_role: MemberRole | null;
}

export type Decision = 'allow' | 'unauthenticated' | 'forbidden' | 'not_found';

export const DECISION_STATUS: Record<Exclude<Decision, 'allow'>, 401 | 403 | 404> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
};

type ActiveUser = Extract<Principal, { kind: 'user' }>;

/** Signed-in and enabled, or the reason not to go further. */
function activeUser(p: Principal): ActiveUser | 'unauthenticated' {
  return p?.kind === 'user' && !p.disabled ? p : 'unauthenticated';
}

/** The shared shape of app policies: admins reach every app, non-members learn nothing. */
function appPolicy(p: Principal, app: AppAccess, allowed: readonly MemberRole[]): Decision {
  const user = activeUser(p);
  if (user === 'unauthenticated') return 'unauthenticated';
  if (user.role === 'admin') return 'allow';
  if (app.member_role === null) return 'not_found';
  return allowed.includes(app.member_role) ? 'allow' : 'forbidden';
}

const ANY_MEMBER: readonly MemberRole[] = ['manager', 'analyst'];
const MANAGERS: readonly MemberRole[] = ['manager'];

/** GET an app, its links, postbacks, erase progress: any member. */
export function canReadApp(p: Principal, app: AppAccess): Decision {
  return appPolicy(p, app, ANY_MEMBER);
}

/** PATCH/DELETE the app, rotate keys, write links, partners, costs, erase requests: managers. */
export function canManageApp(p: Principal, app: AppAccess): Decision {
  return appPolicy(p, app, MANAGERS);
}

/** List, add, change and remove members: managers. */
export function canManageMembers(p: Principal, app: AppAccess): Decision {
  return appPolicy(p, app, MANAGERS);
}

/**
 * `/api/analytics/:app_id…`: any member, or that app's own server key (read-only pull API).
 * Another app's key gets the same 404 as an unknown app.
 */
export function canReadAnalytics(p: Principal, app: AppAccess): Decision {
  if (p?.kind === 'server_key') return p.app_id === app.app_id ? 'allow' : 'not_found';
  return appPolicy(p, app, ANY_MEMBER);
}

/** `GET /api/apps` (my apps) and `POST /api/apps`: any enabled account. */
export function canCreateApp(p: Principal): Decision {
  const user = activeUser(p);
  return user === 'unauthenticated' ? user : 'allow';
}

export const canListApps = canCreateApp;

/** `/api/admin/*`: user management, role changes, the audit trail. */
export function canAdmin(p: Principal): Decision {
  const user = activeUser(p);
  if (user === 'unauthenticated') return user;
  return user.role === 'admin' ? 'allow' : 'forbidden';
}

/** `GET /api/auth/me`, `POST /api/auth/logout`: any enabled account. */
export function canUseOwnAccount(p: Principal): Decision {
  const user = activeUser(p);
  return user === 'unauthenticated' ? user : 'allow';
}

/**
 * `POST /api/auth/register`: anyone while registration is open; once closed, admins only —
 * except the very first account (an empty store has no admin to ask). The store re-checks
 * "first" under its lock (`createUser(..., { onlyIfFirst })`).
 */
export function canRegister(p: Principal, context: { registration: 'open' | 'closed'; hasUsers: boolean }): Decision {
  // Closed: anonymous callers still reach the route, which lets in only a manager's invitation
  // (a valid code for that email) and the very first account; the store decides both under its lock.
  if (context.registration === 'open' || !context.hasUsers || p === null) return 'allow';
  if (p?.kind === 'user' && !p.disabled && p.role === 'admin') return 'allow';
  return p === null ? 'unauthenticated' : 'forbidden';
}
