import { type AuditInput, appendAudit, appendAuditTx, type SqlDb, transactionAsDb } from '@unmogrowp/storage';
import type { FastifyRequest } from 'fastify';
import type { AuditAction } from '../../security/audit-actions.ts';
import type { AuditNote } from './request-context.ts';

/** Who (the signed-in user, or the server key's app), what, where (ip, user agent, request id); when is the store's clock. */
function auditInput(req: FastifyRequest, action: AuditAction, note: AuditNote): AuditInput {
  const principal = req.principal;
  const userId = note.user_id !== undefined ? note.user_id : principal?.kind === 'user' ? principal.id : null;
  const caller = principal?.kind === 'server_key' ? { server_key_of: principal.app_id } : {};
  return {
    user_id: userId,
    action,
    resource: note.resource ?? null,
    success: note.success ?? true,
    ip: req.ip,
    user_agent: req.headers['user-agent'] ?? null,
    details: { ...caller, ...note.details, request_id: req.id, route: `${req.method} ${req.routeOptions.url ?? req.url}` },
  };
}

/**
 * `req.audit(action, note)`: one entry for something that happened without changing stored
 * state (a sign-in, a refusal). Awaited by callers: if the trail cannot be written the request
 * fails rather than going unrecorded.
 */
export function auditRecorder(
  db: SqlDb,
  req: FastifyRequest,
  onAudit?: (action: AuditAction) => void,
): (action: AuditAction, note?: AuditNote) => Promise<void> {
  return async (action, note = {}) => {
    onAudit?.(action);
    await appendAudit(db, auditInput(req, action, note));
  };
}

/**
 * `req.audited(action, change, note)`: runs `change` and writes its audit entry in ONE
 * transaction, so a crash between the two can neither lose the entry nor record a change
 * that did not commit. `change` must use only the database it is given. `note` sees the
 * change's result and may return null (nothing to record, e.g. not found).
 */
export function auditedChange(db: SqlDb, req: FastifyRequest, onAudit?: (action: AuditAction) => void) {
  return async <T>(action: AuditAction, change: (db: SqlDb) => Promise<T>, note: (result: T) => AuditNote | null): Promise<T> => {
    let recorded = false;
    const result = await db.transaction(async (tx) => {
      const done = await change(transactionAsDb(tx, db.kind));
      const entry = note(done);
      if (entry) await appendAuditTx(tx, auditInput(req, action, entry));
      recorded = entry !== null;
      return done;
    });
    // Counted once committed, like req.audit counts what it records.
    if (recorded) onAudit?.(action);
    return result;
  };
}
