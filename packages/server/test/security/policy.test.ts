import { describe, expect, it } from 'vitest';
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
  DECISION_STATUS,
  type Decision,
  type MemberRole,
  type Principal,
} from '../../src/security/policy.ts';

const APP = 'app_thisapp0000000';
const OTHER = 'app_otherapp000000';

/** The callers the authorization matrix names, with their role in APP. */
const callers: Record<string, { principal: Principal; role: MemberRole | null }> = {
  anonymous: { principal: null, role: null },
  admin: { principal: { kind: 'user', id: 'usr_admin', role: 'admin', disabled: false }, role: null },
  manager: { principal: { kind: 'user', id: 'usr_manager', role: 'user', disabled: false }, role: 'manager' },
  analyst: { principal: { kind: 'user', id: 'usr_analyst', role: 'user', disabled: false }, role: 'analyst' },
  outsider: { principal: { kind: 'user', id: 'usr_outsider', role: 'user', disabled: false }, role: null },
  disabled_manager: { principal: { kind: 'user', id: 'usr_disabled', role: 'user', disabled: true }, role: 'manager' },
  disabled_admin: { principal: { kind: 'user', id: 'usr_disadmin', role: 'admin', disabled: true }, role: null },
  own_server_key: { principal: { kind: 'server_key', app_id: APP }, role: null },
  other_server_key: { principal: { kind: 'server_key', app_id: OTHER }, role: null },
};

const appPolicies = { canReadApp, canManageApp, canManageMembers, canReadAnalytics };

// Rows: caller; columns: policy. Written out by hand from docs/api.md §4, not derived from the code.
const expectedApp: Record<string, Record<keyof typeof appPolicies, Decision>> = {
  anonymous: {
    canReadApp: 'unauthenticated',
    canManageApp: 'unauthenticated',
    canManageMembers: 'unauthenticated',
    canReadAnalytics: 'unauthenticated',
  },
  admin: { canReadApp: 'allow', canManageApp: 'allow', canManageMembers: 'allow', canReadAnalytics: 'allow' },
  manager: { canReadApp: 'allow', canManageApp: 'allow', canManageMembers: 'allow', canReadAnalytics: 'allow' },
  analyst: { canReadApp: 'allow', canManageApp: 'forbidden', canManageMembers: 'forbidden', canReadAnalytics: 'allow' },
  outsider: { canReadApp: 'not_found', canManageApp: 'not_found', canManageMembers: 'not_found', canReadAnalytics: 'not_found' },
  disabled_manager: {
    canReadApp: 'unauthenticated',
    canManageApp: 'unauthenticated',
    canManageMembers: 'unauthenticated',
    canReadAnalytics: 'unauthenticated',
  },
  disabled_admin: {
    canReadApp: 'unauthenticated',
    canManageApp: 'unauthenticated',
    canManageMembers: 'unauthenticated',
    canReadAnalytics: 'unauthenticated',
  },
  own_server_key: {
    canReadApp: 'unauthenticated',
    canManageApp: 'unauthenticated',
    canManageMembers: 'unauthenticated',
    canReadAnalytics: 'allow',
  },
  other_server_key: {
    canReadApp: 'unauthenticated',
    canManageApp: 'unauthenticated',
    canManageMembers: 'unauthenticated',
    canReadAnalytics: 'not_found',
  },
};

const globalPolicies = { canAdmin, canCreateApp, canListApps, canUseOwnAccount };
const expectedGlobal: Record<string, Record<keyof typeof globalPolicies, Decision>> = {
  anonymous: {
    canAdmin: 'unauthenticated',
    canCreateApp: 'unauthenticated',
    canListApps: 'unauthenticated',
    canUseOwnAccount: 'unauthenticated',
  },
  admin: { canAdmin: 'allow', canCreateApp: 'allow', canListApps: 'allow', canUseOwnAccount: 'allow' },
  manager: { canAdmin: 'forbidden', canCreateApp: 'allow', canListApps: 'allow', canUseOwnAccount: 'allow' },
  analyst: { canAdmin: 'forbidden', canCreateApp: 'allow', canListApps: 'allow', canUseOwnAccount: 'allow' },
  outsider: { canAdmin: 'forbidden', canCreateApp: 'allow', canListApps: 'allow', canUseOwnAccount: 'allow' },
  disabled_manager: {
    canAdmin: 'unauthenticated',
    canCreateApp: 'unauthenticated',
    canListApps: 'unauthenticated',
    canUseOwnAccount: 'unauthenticated',
  },
  disabled_admin: {
    canAdmin: 'unauthenticated',
    canCreateApp: 'unauthenticated',
    canListApps: 'unauthenticated',
    canUseOwnAccount: 'unauthenticated',
  },
  own_server_key: {
    canAdmin: 'unauthenticated',
    canCreateApp: 'unauthenticated',
    canListApps: 'unauthenticated',
    canUseOwnAccount: 'unauthenticated',
  },
  other_server_key: {
    canAdmin: 'unauthenticated',
    canCreateApp: 'unauthenticated',
    canListApps: 'unauthenticated',
    canUseOwnAccount: 'unauthenticated',
  },
};

describe('authorization policies', () => {
  for (const [name, { principal, role }] of Object.entries(callers)) {
    const access: AppAccess = { app_id: APP, member_role: role };
    for (const [policy, decide] of Object.entries(appPolicies)) {
      const expected = expectedApp[name]![policy as keyof typeof appPolicies];
      it(`${policy}: ${name} → ${expected}`, () => {
        expect(decide(principal, access)).toBe(expected);
      });
    }
    for (const [policy, decide] of Object.entries(globalPolicies)) {
      const expected = expectedGlobal[name]![policy as keyof typeof globalPolicies];
      it(`${policy}: ${name} → ${expected}`, () => {
        expect(decide(principal)).toBe(expected);
      });
    }
  }

  it('lets a member of another app learn nothing about this one', () => {
    const managerElsewhere: Principal = { kind: 'user', id: 'usr_m', role: 'user', disabled: false };
    for (const decide of Object.values(appPolicies)) expect(decide(managerElsewhere, { app_id: APP, member_role: null })).toBe('not_found');
  });

  it('registration: open to all, closed to all but admins, except for the very first account', () => {
    const { anonymous, admin, manager, disabled_admin } = callers;
    expect(canRegister(anonymous!.principal, { registration: 'open', hasUsers: true })).toBe('allow');
    expect(canRegister(anonymous!.principal, { registration: 'closed', hasUsers: false })).toBe('allow');
    // Closed: anonymous callers reach the route, which admits only a valid invitation (the store decides).
    expect(canRegister(anonymous!.principal, { registration: 'closed', hasUsers: true })).toBe('allow');
    expect(canRegister(manager!.principal, { registration: 'closed', hasUsers: true })).toBe('forbidden');
    expect(canRegister(disabled_admin!.principal, { registration: 'closed', hasUsers: true })).toBe('forbidden');
    expect(canRegister(admin!.principal, { registration: 'closed', hasUsers: true })).toBe('allow');
  });

  it('maps every refusal to its status', () => {
    expect(DECISION_STATUS).toEqual({ unauthenticated: 401, forbidden: 403, not_found: 404 });
  });
});
