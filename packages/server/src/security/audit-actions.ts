/**
 * The action names written to the audit trail, one per thing that happened. docs/api.md §4 lists
 * the classes of events that must be audited; `AUDIT_EVENT_CLASSES` maps each class to its
 * actions, so a test can prove every class leaves an entry. Names are `area.verb`, stable: they
 * are the `action` filter of `GET /api/admin/audit`.
 */
export const AUDIT_ACTIONS = {
  register: 'auth.register',
  registerRefused: 'auth.register_refused',
  login: 'auth.login',
  loginFailed: 'auth.login_failed',
  loginRateLimited: 'auth.login_rate_limited',
  refreshRefused: 'auth.refresh_refused',
  refreshReuse: 'auth.refresh_reuse',
  logout: 'auth.logout',
  passwordChange: 'auth.password_change',
  tokenRefused: 'auth.token_refused',
  authorizationRefused: 'authz.refused',

  userRoleChange: 'admin.user_role_change',
  userDisable: 'admin.user_disable',
  userEnable: 'admin.user_enable',
  userSessionsEnd: 'admin.user_sessions_end',
  usersList: 'admin.users_list',
  auditRead: 'admin.audit_read',
  auditVerify: 'admin.audit_verify',

  appCreate: 'app.create',
  appUpdate: 'app.update',
  appDelete: 'app.delete',
  keyRotate: 'app.keys_rotate',

  memberAdd: 'member.add',
  memberInvite: 'member.invite',
  memberRoleChange: 'member.role_change',
  memberRemove: 'member.remove',

  linkCreate: 'link.create',
  linkUpdate: 'link.update',
  linkDelete: 'link.delete',

  partnerUpsert: 'partner.upsert',
  partnerDelete: 'partner.delete',
  postbackRetry: 'postback.retry',
  skanSettingsUpdate: 'skan.settings_update',

  costsImport: 'costs.import',
  costsDelete: 'costs.delete',
  fxRatesImport: 'fx_rates.import',
  fxRatesDelete: 'fx_rates.delete',
  eraseRequest: 'privacy.erase_request',
} as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

/** docs/api.md §4's last paragraph, class by class, and the actions that record each. */
export const AUDIT_EVENT_CLASSES = {
  'sign-in': [AUDIT_ACTIONS.login, AUDIT_ACTIONS.register, AUDIT_ACTIONS.logout],
  'failed sign-in': [AUDIT_ACTIONS.loginFailed, AUDIT_ACTIONS.loginRateLimited, AUDIT_ACTIONS.registerRefused],
  'token refusal': [AUDIT_ACTIONS.tokenRefused, AUDIT_ACTIONS.refreshRefused, AUDIT_ACTIONS.refreshReuse],
  'authorization refusal': [AUDIT_ACTIONS.authorizationRefused],
  'credential change': [AUDIT_ACTIONS.passwordChange],
  'role change': [AUDIT_ACTIONS.userRoleChange, AUDIT_ACTIONS.memberRoleChange],
  'key rotation': [AUDIT_ACTIONS.keyRotate],
  'member change': [AUDIT_ACTIONS.memberAdd, AUDIT_ACTIONS.memberInvite, AUDIT_ACTIONS.memberRoleChange, AUDIT_ACTIONS.memberRemove],
  'link change': [AUDIT_ACTIONS.linkCreate, AUDIT_ACTIONS.linkUpdate, AUDIT_ACTIONS.linkDelete],
  'partner change': [
    AUDIT_ACTIONS.partnerUpsert,
    AUDIT_ACTIONS.partnerDelete,
    AUDIT_ACTIONS.postbackRetry,
    AUDIT_ACTIONS.skanSettingsUpdate,
  ],
  'erase request': [AUDIT_ACTIONS.eraseRequest],
  'admin action': [
    AUDIT_ACTIONS.userRoleChange,
    AUDIT_ACTIONS.userDisable,
    AUDIT_ACTIONS.userEnable,
    AUDIT_ACTIONS.userSessionsEnd,
    AUDIT_ACTIONS.usersList,
    AUDIT_ACTIONS.auditRead,
    AUDIT_ACTIONS.auditVerify,
  ],
  'app change': [
    AUDIT_ACTIONS.appCreate,
    AUDIT_ACTIONS.appUpdate,
    AUDIT_ACTIONS.appDelete,
    AUDIT_ACTIONS.costsImport,
    AUDIT_ACTIONS.costsDelete,
    AUDIT_ACTIONS.fxRatesImport,
    AUDIT_ACTIONS.fxRatesDelete,
  ],
} as const satisfies Record<string, readonly AuditAction[]>;

export type AuditEventClass = keyof typeof AUDIT_EVENT_CLASSES;

/** `resource` values: `kind:id`, so the trail can be searched by what was touched. */
export function auditResource(kind: 'user' | 'app' | 'link' | 'partner' | 'erase' | 'audit', id: string): string {
  return `${kind}:${id}`;
}
