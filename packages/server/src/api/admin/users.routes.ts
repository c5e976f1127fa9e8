import { ControlConflictError, endSessions, getUser, listUsers, type UserPatch, updateUser } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { USER_ANSWER, USERS_PAGE } from '../answers/account-answers.ts';
import { NO_CONTENT } from '../answers/answer-schema.ts';
import type { ApiDeps } from '../api-deps.ts';
import { userParams, userPatchBody, usersQuery } from '../body-schemas.ts';
import { userView } from '../views.ts';

/**
 * `GET /api/admin/users`, `PATCH /api/admin/users/:id` `{role?, disabled?}`,
 * `DELETE /api/admin/users/:id/sessions` (sign the user out everywhere) — admins only (the gate's
 * `canAdmin`). Disabling ends the account's sessions at once (the store bumps its session
 * epoch); the store refuses to leave no enabled admin (409 `last_admin`). Every change is audited,
 * refused ones too.
 */
export async function adminUsersRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: { limit?: string; after?: string } }>(
    '/api/admin/users',
    { config: { policy: 'canAdmin' }, schema: { querystring: usersQuery, response: { 200: USERS_PAGE } } },
    async (req) => {
      const limit = Math.min(Math.max(req.query.limit === undefined ? 100 : Number(req.query.limit), 1), 1000);
      const users = await listUsers(deps.control, { limit, after: req.query.after });
      await req.audit(AUDIT_ACTIONS.usersList, { details: { count: users.length } });
      // A full page may have a next one: `after` continues from its last user.
      return { users: users.map(userView), next_after: users.length === limit ? (users.at(-1)?.id ?? null) : null };
    },
  );

  app.patch<{ Params: { id: string }; Body: UserPatch }>(
    '/api/admin/users/:id',
    { config: { policy: 'canAdmin' }, schema: { params: userParams, body: userPatchBody, response: { 200: USER_ANSWER } } },
    async (req) => {
      const resource = auditResource('user', req.params.id);
      const before = await getUser(deps.control, req.params.id);
      if (!before) throw notFound('No user with this id.');
      let after: Awaited<ReturnType<typeof updateUser>>;
      try {
        after = await updateUser(deps.control, before.id, req.body);
      } catch (err) {
        if (err instanceof ControlConflictError) {
          await req.audit(AUDIT_ACTIONS.userRoleChange, { success: false, resource, details: { requested: req.body, refused: err.code } });
        }
        throw err;
      }
      if (!after) throw notFound('No user with this id.');
      if (req.body.role !== undefined) {
        await req.audit(AUDIT_ACTIONS.userRoleChange, { resource, details: { from: before.role, to: after.role } });
      }
      if (req.body.disabled !== undefined) {
        await req.audit(after.disabled ? AUDIT_ACTIONS.userDisable : AUDIT_ACTIONS.userEnable, {
          resource,
          details: { was_disabled: before.disabled },
        });
      }
      return { user: userView(after) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/admin/users/:id/sessions',
    { config: { policy: 'canAdmin' }, schema: { params: userParams, response: { 204: NO_CONTENT } } },
    async (req, reply) => {
      if (!(await endSessions(deps.control, req.params.id))) throw notFound('No user with this id.');
      await req.audit(AUDIT_ACTIONS.userSessionsEnd, { resource: auditResource('user', req.params.id) });
      return reply.code(204).send();
    },
  );
}
