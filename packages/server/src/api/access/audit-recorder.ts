import { appendAudit, type SqlDb } from '@unmogrowp/storage';
import type { FastifyRequest } from 'fastify';
import type { AuditAction } from '../../security/audit-actions.ts';
import type { AuditNote } from './request-context.ts';

/**
 * `req.audit(action, note)`: who (the signed-in user, or the server key's app), what (action,
 * resource, outcome, details), where (ip as resolved under TRUST_PROXY, user agent, request id,
 * which ties the entry to the request's log line); when is the store's clock. Awaited by callers:
 * if the trail cannot be written the request fails rather than going unrecorded.
 */
export function auditRecorder(
  db: SqlDb,
  req: FastifyRequest,
  onAudit?: (action: AuditAction) => void,
): (action: AuditAction, note?: AuditNote) => Promise<void> {
  return async (action, note = {}) => {
    onAudit?.(action);
    const principal = req.principal;
    const userId = note.user_id !== undefined ? note.user_id : principal?.kind === 'user' ? principal.id : null;
    const caller = principal?.kind === 'server_key' ? { server_key_of: principal.app_id } : {};
    await appendAudit(db, {
      user_id: userId,
      action,
      resource: note.resource ?? null,
      success: note.success ?? true,
      ip: req.ip,
      user_agent: req.headers['user-agent'] ?? null,
      details: { ...caller, ...note.details, request_id: req.id, route: `${req.method} ${req.routeOptions.url ?? req.url}` },
    });
  };
}
