import { listAudit, verifyAudit } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { AUDIT_PAGE, AUDIT_VERIFICATION } from '../answers/account-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { auditQuery } from '../body-schemas.ts';
import { parseInstant } from '../time-range.ts';

interface AuditQuery {
  from?: string;
  to?: string;
  user_id?: string;
  action?: string;
  limit?: string;
  before_id?: string;
}

/**
 * The audit trail, read-only (docs/api.md §4): `GET /api/admin/audit?from&to&user_id&action&limit`,
 * newest first, paged with `before_id`; `GET /api/admin/audit/verify` walks the hash chain and
 * names the first entry that does not hold. No route updates or deletes an entry. Reading the
 * trail is itself an admin action and recorded (after the read, so it is not in its own answer).
 */
export async function adminAuditRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: AuditQuery }>(
    '/api/admin/audit',
    { config: { policy: 'canAdmin' }, schema: { querystring: auditQuery, response: { 200: AUDIT_PAGE } } },
    async (req) => {
      const q = req.query;
      const filter = {
        ...(q.from !== undefined ? { from: new Date(parseInstant(q.from, 'from')) } : {}),
        ...(q.to !== undefined ? { to: new Date(parseInstant(q.to, 'to')) } : {}),
        ...(q.user_id !== undefined ? { user_id: q.user_id } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.before_id !== undefined ? { before_id: q.before_id } : {}),
        limit: q.limit === undefined ? 100 : Number(q.limit),
      };
      const entries = await listAudit(deps.control, filter);
      await req.audit(AUDIT_ACTIONS.auditRead, {
        resource: auditResource('audit', 'trail'),
        details: { filter: { ...q }, count: entries.length },
      });
      return { entries };
    },
  );

  app.get('/api/admin/audit/verify', { config: { policy: 'canAdmin' }, schema: { response: { 200: AUDIT_VERIFICATION } } }, async (req) => {
    const result = await verifyAudit(deps.control);
    await req.audit(AUDIT_ACTIONS.auditVerify, {
      resource: auditResource('audit', 'trail'),
      success: result.ok,
      details: { entries: result.entries, ...(result.first_bad_id ? { first_bad_id: result.first_bad_id } : {}) },
    });
    return result;
  });
}
