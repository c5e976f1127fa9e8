import {
  answer,
  count,
  countOrNull,
  flag,
  freeObject,
  instant,
  instantOrNull,
  listOf,
  named,
  oneOf,
  text,
  textOrNull,
} from './answer-schema.ts';

/** What accounts, sessions and the admin routes answer (api/auth, api/admin). */

/** views.ts `userView`: the public fields of an account, nothing the store adds. */
export const USER = named(
  'User',
  answer({ id: text, email: text, name: text, role: oneOf(['admin', 'user']), disabled: flag, created_at: instant }),
);

/** auth/session-tokens.ts: a sign-in, a refresh or a password change. */
export const SESSION = named(
  'Session',
  answer({
    access_token: text,
    token_type: { type: 'string', const: 'Bearer' },
    expires_in: { type: 'integer', description: 'seconds the access token is valid' },
    refresh_token: text,
    refresh_expires_at: instant,
    user: USER,
  }),
);

export const USER_ANSWER = answer({ user: USER });

export const USERS_PAGE = answer({
  users: listOf(USER),
  next_after: { type: ['string', 'null'], description: 'the `after` of the next page; null on the last' },
});

export const AUDIT_ENTRY = named(
  'AuditEntry',
  answer({
    id: text,
    at: instant,
    user_id: textOrNull,
    action: text,
    resource: textOrNull,
    success: flag,
    ip: textOrNull,
    user_agent: textOrNull,
    details: freeObject,
    prev_hash: text,
    hash: text,
  }),
);

export const AUDIT_PAGE = answer({ entries: listOf(AUDIT_ENTRY) });

export const AUDIT_VERIFICATION = named(
  'AuditVerification',
  answer(
    {
      ok: flag,
      entries: count,
      first_bad_id: text,
      first_bad_reason: oneOf(['hash_mismatch', 'broken_link']),
      last_hash: { type: 'string', description: 'the newest hash (absent while the trail is empty)' },
    },
    ['first_bad_id', 'first_bad_reason', 'last_hash'],
  ),
);

/** ops/system-status.ts: the admin System screen. */
export const SYSTEM_STATUS = named(
  'SystemStatus',
  answer({
    role: text,
    generated_at: instant,
    ready: flag,
    dependencies: listOf(answer({ name: text, ok: flag, reason: textOrNull, checked_at: instantOrNull })),
    pipeline: answer({ lag_seconds: { type: 'number' }, lag_records: count }),
    ingest: answer({
      window_minutes: count,
      requests_per_minute: { type: 'number' },
      error_ratio: { type: 'number' },
      minutes: listOf(answer({ t: { type: 'integer', description: 'start of the minute, epoch ms' }, requests: count, errors: count })),
    }),
    postbacks: answer({ pending: count, oldest_pending_age_seconds: { type: 'number' } }),
    disk: answer({ path: text, free_bytes: { type: ['number', 'null'] }, total_bytes: { type: ['number', 'null'] } }),
    audit_chain: answer({ ok: { type: ['boolean', 'null'] }, entries: countOrNull, verified_at: instantOrNull, first_bad_id: textOrNull }),
  }),
);
