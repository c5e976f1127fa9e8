import { ControlConflictError, createUser } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AppError, badRequest } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { checkPassword } from '../../security/password-policy.ts';
import { hashPassword } from '../../security/passwords.ts';
import type { WindowRateLimit } from '../../security/rate-limiter.ts';
import { USER_ANSWER } from '../answers/account-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { registerBody } from '../body-schemas.ts';
import { tooManyRequests } from '../too-many.ts';
import { userView } from '../views.ts';

interface RegisterBody {
  email: string;
  password: string;
  name?: string;
  /** The code from a manager's invitation (docs/security.md "Registration"). */
  invitation?: string;
}

/**
 * `POST /api/auth/register` → 201 `{user}`. The store makes the first account admin and every
 * later one `user`; the body cannot say otherwise (its schema has no `role`). Open registration
 * is limited per IP and per email (each attempt costs a hash); with `REGISTRATION=closed` the
 * gate lets only admins here, except for the very first account, which the store re-checks.
 */
export function registerRoute(app: FastifyInstance, deps: ApiDeps, limiter: WindowRateLimit): void {
  app.post<{ Body: RegisterBody }>(
    '/api/auth/register',
    { config: { policy: 'canRegister' }, schema: { body: registerBody, response: { 201: USER_ANSWER } } },
    async (req, reply) => {
      const { email, password } = req.body;
      const admin = req.principal?.kind === 'user' && req.principal.role === 'admin' ? req.principal.id : null;
      if (!admin) {
        for (const key of [`ip:${req.ip}`, `email:${email.trim().toLowerCase()}`]) {
          const gate = await limiter.hit(key);
          if (gate.allowed) continue;
          await req.audit(AUDIT_ACTIONS.registerRefused, { success: false, details: { email, reason: 'rate_limited' } });
          throw tooManyRequests(gate.retryAfterSeconds, 'Too many registrations from here. Wait, then try again.');
        }
      }
      const verdict = checkPassword(password, { email });
      if (!verdict.ok) throw badRequest('weak_password', verdict.message, { field: 'password', problem: verdict.problem });
      const name = req.body.name ?? email.split('@')[0] ?? email;
      let user: Awaited<ReturnType<typeof createUser>>;
      try {
        user = await createUser(
          deps.control,
          { email, name, password_hash: await hashPassword(password) },
          { onlyIfFirst: deps.config.registration === 'closed' && !admin, invitationCode: req.body.invitation },
        );
      } catch (err) {
        if (!(err instanceof ControlConflictError)) throw err;
        // email_taken (someone probing which emails have accounts leaves a trace), or closed
        // registration where another request created the first account meanwhile.
        await req.audit(AUDIT_ACTIONS.registerRefused, { success: false, details: { email, reason: err.code } });
        if (err.code === 'registration_closed') throw new AppError(403, 'registration_closed', err.message);
        if (err.code === 'invalid_invitation') throw new AppError(403, 'invalid_invitation', err.message);
        throw err;
      }
      await req.audit(AUDIT_ACTIONS.register, {
        resource: auditResource('user', user.id),
        user_id: admin ?? user.id,
        details: { role: user.role, email: user.email, ...(admin ? { created_by_admin: admin } : {}) },
      });
      return reply.code(201).send({ user: userView(user) });
    },
  );
}
