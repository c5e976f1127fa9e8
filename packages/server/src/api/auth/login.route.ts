import { findAccountByEmail, setPasswordHash } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import type { LoginThrottle } from '../../security/login-throttle.ts';
import { dummyVerify, hashPassword, passwordNeedsRehash, verifyPassword } from '../../security/passwords.ts';
import { SESSION } from '../answers/account-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { loginBody } from '../body-schemas.ts';
import { tooManyRequests } from '../too-many.ts';
import { startSession } from './session-tokens.ts';

/** One answer for every way a sign-in can fail, so it tells an attacker nothing about the account. */
export const INVALID_CREDENTIALS = 'The email or password is wrong, or the account is disabled.';

/**
 * `POST /api/auth/login`. Brute force meets the throttle first (per account and per IP, before
 * any hashing); an unknown email costs one argon2 verification like a wrong password does, and
 * both get the same 401, so neither the answer nor its timing tells which emails have accounts.
 */
export function loginRoute(app: FastifyInstance, deps: ApiDeps, throttle: LoginThrottle): void {
  app.post<{ Body: { email: string; password: string } }>(
    '/api/auth/login',
    { config: { policy: 'public' }, schema: { body: loginBody, response: { 200: SESSION } } },
    async (req) => {
      const { email, password } = req.body;
      const attempt = { ip: req.ip, email };
      const gate = await throttle.reserve(attempt);
      if (!gate.allowed) {
        await req.audit(AUDIT_ACTIONS.loginRateLimited, {
          success: false,
          details: { email, retry_after_seconds: gate.retryAfterSeconds },
        });
        throw tooManyRequests(gate.retryAfterSeconds, 'Too many failed sign-ins. Wait, then try again (or reset your password).');
      }
      const account = await findAccountByEmail(deps.control, email);
      const valid = account ? await verifyPassword(account.password_hash, password) : await dummyVerify(password);
      if (!account || !valid || account.user.disabled) {
        const reason = !account ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled';
        await req.audit(AUDIT_ACTIONS.loginFailed, {
          success: false,
          user_id: account?.user.id ?? null,
          resource: account ? auditResource('user', account.user.id) : null,
          details: { email, reason },
        });
        throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
      }
      await throttle.recordSuccess(attempt);
      // Parameters raised since this hash was made: upgrade it now, while we hold the password.
      if (passwordNeedsRehash(account.password_hash)) {
        await setPasswordHash(deps.control, account.user.id, await hashPassword(password));
      }
      const session = await startSession(deps.control, deps.signing, account, req);
      await req.audit(AUDIT_ACTIONS.login, { user_id: account.user.id, resource: auditResource('user', account.user.id) });
      return session;
    },
  );
}
