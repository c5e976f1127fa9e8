import { endSessions, getAccountById, rotateRefreshToken } from '@unmogrowp/storage';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, type AuditAction, auditResource } from '../../security/audit-actions.ts';
import { looksLikeRefreshToken, newRefreshToken, REFRESH_TOKEN_TTL_SECONDS } from '../../security/tokens.ts';
import { SESSION, USER_ANSWER } from '../answers/account-answers.ts';
import { NO_CONTENT } from '../answers/answer-schema.ts';
import type { ApiDeps } from '../api-deps.ts';
import { refreshBody } from '../body-schemas.ts';
import { userView } from '../views.ts';
import { answer } from './session-tokens.ts';

const REFRESH_REFUSED = 'This refresh token is invalid, expired or revoked. Sign in again.';

/** `POST /api/auth/refresh`, `POST /api/auth/logout`, `GET /api/auth/me`. */
export function sessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: { refresh_token: string } }>(
    '/api/auth/refresh',
    { config: { policy: 'public' }, schema: { body: refreshBody, response: { 200: SESSION } } },
    async (req) => {
      const presented = req.body.refresh_token;
      if (!looksLikeRefreshToken(presented)) return refuse(req, AUDIT_ACTIONS.refreshRefused, { reason: 'malformed' });
      const next = newRefreshToken();
      const outcome = await rotateRefreshToken(deps.control, presented, {
        token: next,
        expires_in_seconds: REFRESH_TOKEN_TTL_SECONDS,
        ip: req.ip,
        user_agent: req.headers['user-agent'] ?? null,
      });
      if (outcome.status === 'unknown') return refuse(req, AUDIT_ACTIONS.refreshRefused, { reason: 'unknown' });
      const who = { user_id: outcome.user_id, family_id: outcome.family_id };
      if (outcome.status === 'reused') {
        // A rotated token came back: two parties hold this family, one of them a thief. The store
        // revoked the family; ending every session also stops access tokens already minted from it.
        await endSessions(deps.control, outcome.user_id);
        return refuse(req, AUDIT_ACTIONS.refreshReuse, { reason: 'reused', ...who });
      }
      if (outcome.status !== 'rotated') return refuse(req, AUDIT_ACTIONS.refreshRefused, { reason: outcome.status, ...who });
      const account = await getAccountById(deps.control, outcome.user_id);
      // Disabling revokes every refresh token, so this only guards against a race with it.
      if (!account || account.user.disabled) return refuse(req, AUDIT_ACTIONS.refreshRefused, { reason: 'disabled', ...who });
      // A successful rotation is not written to the audit trail: the dashboard rotates on every
      // reload and every 15 minutes, and the trail is for sign-ins, refusals and changes. The
      // sign-in that started the family is there, and so is any refused or reused token.
      return answer(deps.signing, account, next, outcome.token.expires_at);
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { policy: 'canUseOwnAccount' }, schema: { response: { 204: NO_CONTENT } } },
    async (req, reply) => {
      const account = req.account!;
      // Every session of the account: its refresh tokens are revoked and its access tokens refused from now.
      await endSessions(deps.control, account.user.id);
      await req.audit(AUDIT_ACTIONS.logout, { resource: auditResource('user', account.user.id) });
      return reply.code(204).send();
    },
  );

  app.get('/api/auth/me', { config: { policy: 'canUseOwnAccount' }, schema: { response: { 200: USER_ANSWER } } }, async (req) => ({
    user: userView(req.account!.user),
  }));
}

async function refuse(req: FastifyRequest, action: AuditAction, details: Record<string, unknown> & { user_id?: string }): Promise<never> {
  const { user_id = null, ...rest } = details;
  await req.audit(action, {
    success: false,
    user_id,
    resource: user_id ? auditResource('user', user_id) : null,
    details: rest,
  });
  throw new AppError(401, 'invalid_refresh_token', REFRESH_REFUSED);
}
