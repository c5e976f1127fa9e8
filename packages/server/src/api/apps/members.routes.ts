import {
  addMember,
  findAccountByEmail,
  getMemberRole,
  inviteMember,
  listInvitations,
  listMembers,
  type MemberRole,
  removeMember,
  setMemberRole,
} from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { NO_CONTENT } from '../answers/answer-schema.ts';
import { MEMBER_ADDED, MEMBER_CHANGED, MEMBER_INVITED, MEMBERS_LIST } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams, memberAddBody, memberParams, memberPatchBody } from '../body-schemas.ts';

type MemberRoute = { Params: { app_id: string; user_id: string } };

/**
 * `/api/apps/:app_id/members` — managers (and admins) only, by the gate's `canManageMembers`.
 * The store keeps at least one manager per app (409 `last_manager`).
 */
export async function membersRoutes(app: FastifyInstance, deps: ApiDeps) {
  const manage = { policy: 'canManageMembers' } as const;

  app.get<{ Params: { app_id: string } }>(
    '/api/apps/:app_id/members',
    { config: manage, schema: { params: appParams, response: { 200: MEMBERS_LIST } } },
    async (req) => ({
      members: await listMembers(deps.control, req.params.app_id),
      invitations: await listInvitations(deps.control, req.params.app_id),
    }),
  );

  app.post<{ Params: { app_id: string }; Body: { email: string; role: MemberRole } }>(
    '/api/apps/:app_id/members',
    { config: manage, schema: { params: appParams, body: memberAddBody, response: { 201: MEMBER_ADDED, 202: MEMBER_INVITED } } },
    async (req, reply) => {
      const account = await findAccountByEmail(deps.control, req.body.email);
      if (!account) {
        // No account yet: an invitation. Its one-time code is shown here only; the person
        // registers with it (also under REGISTRATION=closed) and joins the app.
        const invited = await req.audited(
          AUDIT_ACTIONS.memberInvite,
          (db) =>
            inviteMember(db, {
              app_id: req.params.app_id,
              email: req.body.email,
              role: req.body.role,
              invited_by: req.account?.user.id ?? null,
            }),
          ({ invitation }) => ({
            resource: auditResource('app', req.params.app_id),
            details: { email: invitation.email, role: invitation.role },
          }),
        );
        return reply.code(202).send({ invitation: invited.invitation, invitation_code: invited.code });
      }
      const member = await req.audited(
        AUDIT_ACTIONS.memberAdd,
        (db) => addMember(db, req.params.app_id, account.user.id, req.body.role),
        (added) =>
          added
            ? { resource: auditResource('app', req.params.app_id), details: { member_user_id: account.user.id, role: added.role } }
            : null,
      );
      if (!member) throw notFound();
      return reply.code(201).send({ member: { ...member, email: account.user.email, name: account.user.name } });
    },
  );

  app.patch<MemberRoute & { Body: { role: MemberRole } }>(
    '/api/apps/:app_id/members/:user_id',
    { config: manage, schema: { params: memberParams, body: memberPatchBody, response: { 200: MEMBER_CHANGED } } },
    async (req) => {
      const { app_id, user_id } = req.params;
      const { member } = await req.audited(
        AUDIT_ACTIONS.memberRoleChange,
        async (db) => {
          const before = await getMemberRole(db, app_id, user_id);
          return { before, member: await setMemberRole(db, app_id, user_id, req.body.role) };
        },
        ({ before, member: changed }) =>
          changed && { resource: auditResource('app', app_id), details: { member_user_id: user_id, from: before, to: changed.role } },
      );
      if (!member) throw notFound('This user is not a member of the app.');
      return { member };
    },
  );

  app.delete<MemberRoute>(
    '/api/apps/:app_id/members/:user_id',
    { config: manage, schema: { params: memberParams, response: { 204: NO_CONTENT } } },
    async (req, reply) => {
      const { app_id, user_id } = req.params;
      const removed = await req.audited(
        AUDIT_ACTIONS.memberRemove,
        (db) => removeMember(db, app_id, user_id),
        (ok) => (ok ? { resource: auditResource('app', app_id), details: { member_user_id: user_id } } : null),
      );
      if (!removed) throw notFound('This user is not a member of the app.');
      return reply.code(204).send();
    },
  );
}
