import type { SqlDb, UserAccount } from '@unmogrowp/storage';
import type { AuditAction } from '../../security/audit-actions.ts';
import type { BearerResult } from '../../security/authenticate.ts';
import type { AppAccess, Principal } from '../../security/policy.ts';
import type { PolicyName } from './route-policies.ts';

/** What a route adds to an audit entry; who, when and from where are filled in from the request. */
export interface AuditNote {
  resource?: string | null;
  /** Default true. */
  success?: boolean;
  details?: Record<string, unknown>;
  /** Default: the signed-in user (null for anonymous callers and server keys). */
  user_id?: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: checked before the body is read. Every `/api` route must declare one. */
    policy?: PolicyName;
  }

  interface FastifyRequest {
    /** What the `Authorization` header proved (or why not); null on public routes, which do not look. */
    bearer: BearerResult | null;
    /** The caller as the policies see it: null when anonymous (or on a public route with a refused token). */
    principal: Principal;
    /** The signed-in user's account as stored now; null for anonymous callers and server keys. */
    account: UserAccount | null;
    /** On `:app_id` routes: the app and the caller's role in it (null for admins who are not members, and keys). */
    appAccess: AppAccess | null;
    /** Writes one audit entry for this request (docs/api.md §4), with the caller, ip and user agent. */
    audit: (action: AuditAction, note?: AuditNote) => Promise<void>;
    /** Runs a change and its audit entry in one transaction (audit-recorder.ts); `change` uses only the db it is given. */
    audited: <T>(action: AuditAction, change: (db: SqlDb) => Promise<T>, note: (result: T) => AuditNote | null) => Promise<T>;
  }
}
