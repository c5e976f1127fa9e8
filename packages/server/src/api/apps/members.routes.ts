import {
  addMember,
  findAccountByEmail,
  getMemberRole,
  listMembers,
  type MemberRole,
  removeMember,
  setMemberRole,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AppError, notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams, memberAddBody, memberParams, memberPatchBody } from '../body-schemas.ts';

type MemberRoute = { Params: { app_id: string; user_id: string } };

/**
 * `/api/apps/:app_id/members` — managers (and admins) only, by the gate's `canManageMembers`.
 * The store keeps at least one manager per app (409 `last_manager`).
 */
export async function membersRoutes(app: FastifyInstance, deps: ApiDeps) {
  const manage = { policy: 'canManageMembers' } as const;

  app.get<{ Params: { app_id: string } }>('/api/apps/:app_id/members', { config: manage, schema: { params: appParams } }, async (req) => ({
    members: await listMembers(deps.control, req.params.app_id),
  }));

  app.post<{ Params: { app_id: string }; Body: { email: string; role: MemberRole } }>(
    '/api/apps/:app_id/members',
    { config: manage, schema: { params: appParams, body: memberAddBody } },
    async (req, reply) => {
      const account = await findAccountByEmail(deps.control, req.body.email);
      if (!account) throw new AppError(404, 'user_not_found', 'No account has this email: ask them to register first, then add them.');
      const member = await addMember(deps.control, req.params.app_id, account.user.id, req.body.role);
      if (!member) throw notFound();
      await req.audit(AUDIT_ACTIONS.memberAdd, {
        resource: auditResource('app', req.params.app_id),
        details: { member_user_id: account.user.id, role: member.role },
      });
      return reply.code(201).send({ member: { ...member, email: account.user.email, name: account.user.name } });
    },
  );

  app.patch<MemberRoute & { Body: { role: MemberRole } }>(
    '/api/apps/:app_id/members/:user_id',
    { config: manage, schema: { params: memberParams, body: memberPatchBody } },
    async (req) => {
      const { app_id, user_id } = req.params;
      const before = await getMemberRole(deps.control, app_id, user_id);
      const member = await setMemberRole(deps.control, app_id, user_id, req.body.role);
      if (!member) throw notFound('This user is not a member of the app.');
      await req.audit(AUDIT_ACTIONS.memberRoleChange, {
        resource: auditResource('app', app_id),
        details: { member_user_id: user_id, from: before, to: member.role },
      });
      return { member };
    },
  );

  app.delete<MemberRoute>(
    '/api/apps/:app_id/members/:user_id',
    { config: manage, schema: { params: memberParams } },
    async (req, reply) => {
      const { app_id, user_id } = req.params;
      if (!(await removeMember(deps.control, app_id, user_id))) throw notFound('This user is not a member of the app.');
      await req.audit(AUDIT_ACTIONS.memberRemove, { resource: auditResource('app', app_id), details: { member_user_id: user_id } });
      return reply.code(204).send();
    },
  );
}
