import {
  type AppAccess,
  canAdmin,
  canCreateApp,
  canListApps,
  canManageApp,
  canManageMembers,
  canReadAnalytics,
  canReadApp,
  canRegister,
  canUseOwnAccount,
  type Decision,
  type Principal,
} from '../../security/policy.ts';

/**
 * The policies a route may name in its config (`{ policy: 'canManageApp' }`), each bound to what
 * it needs to decide. `public` routes (sign-in, token refresh, ops) take no credential at all;
 * `app` policies read `:app_id` from the URL and the caller's membership of that app.
 */
export type PolicySpec =
  | { scope: 'public' }
  | { scope: 'global'; decide: (principal: Principal, context: GlobalContext) => Decision | Promise<Decision> }
  | { scope: 'app'; decide: (principal: Principal, app: AppAccess) => Decision };

export interface GlobalContext {
  registration: 'open' | 'closed';
  /** Whether any account exists (closed registration still lets the very first one in). */
  hasUsers: () => Promise<boolean>;
}

export const ROUTE_POLICIES = {
  public: { scope: 'public' },
  canRegister: {
    scope: 'global',
    decide: async (p, ctx) =>
      // Only ask the store when the answer depends on it.
      ctx.registration === 'open' ? 'allow' : canRegister(p, { registration: ctx.registration, hasUsers: await ctx.hasUsers() }),
  },
  canUseOwnAccount: { scope: 'global', decide: canUseOwnAccount },
  canAdmin: { scope: 'global', decide: canAdmin },
  canListApps: { scope: 'global', decide: canListApps },
  canCreateApp: { scope: 'global', decide: canCreateApp },
  canReadApp: { scope: 'app', decide: canReadApp },
  canManageApp: { scope: 'app', decide: canManageApp },
  canManageMembers: { scope: 'app', decide: canManageMembers },
  canReadAnalytics: { scope: 'app', decide: canReadAnalytics },
} as const satisfies Record<string, PolicySpec>;

export type PolicyName = keyof typeof ROUTE_POLICIES;

export function isPolicyName(value: unknown): value is PolicyName {
  return typeof value === 'string' && Object.hasOwn(ROUTE_POLICIES, value);
}
