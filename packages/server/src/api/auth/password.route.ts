import { endSessions, getAccountById, setPasswordHash } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AppError, badRequest } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import type { LoginThrottle } from '../../security/login-throttle.ts';
import { checkPassword } from '../../security/password-policy.ts';
import { hashPassword, verifyPassword } from '../../security/passwords.ts';
import { SESSION } from '../answers/account-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { passwordChangeBody } from '../body-schemas.ts';
import { tooManyRequests } from '../too-many.ts';
import { startSession } from './session-tokens.ts';

/**
 * `POST /api/auth/password` `{current_password, new_password}` (ASVS V6.2.2–3): the current
 * password is required, so a stolen access token cannot take the account over, and wrong
 * guesses count against the sign-in throttle. Every other session ends; the caller gets a new one.
 */
export function passwordRoute(app: FastifyInstance, deps: ApiDeps, throttle: LoginThrottle): void {
  app.post<{ Body: { current_password: string; new_password: string } }>(
    '/api/auth/password',
    { config: { policy: 'canUseOwnAccount' }, schema: { body: passwordChangeBody, response: { 200: SESSION } } },
    async (req) => {
      const account = req.account!;
      const resource = auditResource('user', account.user.id);
      const attempt = { ip: req.ip, email: account.user.email };
      const gate = await throttle.reserve(attempt);
      if (!gate.allowed) throw tooManyRequests(gate.retryAfterSeconds, 'Too many wrong passwords. Wait, then try again.');
      if (!(await verifyPassword(account.password_hash, req.body.current_password))) {
        await req.audit(AUDIT_ACTIONS.passwordChange, { success: false, resource, details: { reason: 'wrong_password' } });
        throw new AppError(403, 'wrong_password', 'The current password is wrong.');
      }
      await throttle.recordSuccess(attempt);
      const verdict = checkPassword(req.body.new_password, { email: account.user.email });
      if (!verdict.ok) throw badRequest('weak_password', verdict.message, { field: 'new_password', problem: verdict.problem });
      await setPasswordHash(deps.control, account.user.id, await hashPassword(req.body.new_password));
      await endSessions(deps.control, account.user.id);
      const fresh = (await getAccountById(deps.control, account.user.id))!;
      await req.audit(AUDIT_ACTIONS.passwordChange, { resource });
      return startSession(deps.control, deps.signing, fresh, req);
    },
  );
}
