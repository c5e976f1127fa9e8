import type { FastifyInstance } from 'fastify';
import { LoginThrottle } from '../../security/login-throttle.ts';
import { prepareDummyHash } from '../../security/passwords.ts';
import { RateLimiter } from '../../security/rate-limiter.ts';
import type { ApiDeps } from '../api-deps.ts';
import { loginRoute } from './login.route.ts';
import { passwordRoute } from './password.route.ts';
import { registerRoute } from './register.route.ts';
import { sessionRoutes } from './session.routes.ts';

/**
 * `/api/auth/*`: accounts and sessions. The brakes live here: in this process's memory, or
 * shared by every api process when the composition root gives `windowLimits` (Redis).
 */
export async function authRoutes(app: FastifyInstance, deps: ApiDeps) {
  const shared = deps.windowLimits;
  const throttle = new LoginThrottle({
    maxFailures: deps.config.loginMaxFailures,
    windowSeconds: deps.config.loginWindowSeconds,
    ...(shared ? { limiter: (name: 'account' | 'ip', limit: number, seconds: number) => shared(`login-${name}`, limit, seconds) } : {}),
  });
  // The unknown-email sign-in's stand-in hash, made now rather than on the first unknown email.
  await prepareDummyHash();
  const registrations = shared
    ? shared('register', deps.config.registerRateLimit, 3600)
    : new RateLimiter({ limit: deps.config.registerRateLimit, windowSeconds: 3600 });
  registerRoute(app, deps, registrations);
  loginRoute(app, deps, throttle);
  sessionRoutes(app, deps);
  passwordRoute(app, deps, throttle);
}
