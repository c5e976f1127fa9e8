import { getAccountById, listUsers, type SqlDb } from '@unmogrowp/storage';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../http/app-error.ts';
import type { AppKeyResolver } from '../../keys/app-key-resolver.ts';
import { AUDIT_ACTIONS, type AuditAction, auditResource } from '../../security/audit-actions.ts';
import { authenticateBearer } from '../../security/authenticate.ts';
import { DECISION_STATUS, type Decision, type Principal } from '../../security/policy.ts';
import type { SigningKeys } from '../../security/signing-keys.ts';
import { confirmAppExists, resolveAppAccess } from './app-access.ts';
import { auditedChange, auditRecorder } from './audit-recorder.ts';
import { type PolicyName, ROUTE_POLICIES } from './route-policies.ts';

export interface AccessDeps {
  control: SqlDb;
  keys: AppKeyResolver;
  signing: SigningKeys;
  registration: 'open' | 'closed';
  /** Sees every audited action (metrics count failed sign-ins and refusals from it). */
  onAudit?: (action: AuditAction) => void;
}

/**
 * The one gate in front of every API route (an `onRequest` hook, so nothing of the body is read
 * for a caller who may not call): who is calling, then the route's declared policy, then
 * 401/403/404 — with token and authorization refusals written to the audit trail. Routes never
 * look at roles themselves; they find the caller in `req.principal` / `req.account`.
 */
export function accessControl(deps: AccessDeps) {
  const bearerDeps = {
    keys: deps.signing,
    loadAccount: (id: string) => getAccountById(deps.control, id),
    resolveKey: (k: string) => deps.keys.resolve(k),
  };
  const hasUsers = async () => (await listUsers(deps.control, { limit: 1 })).length > 0;

  return async function checkAccess(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    req.audit = auditRecorder(deps.control, req, deps.onAudit);
    req.audited = auditedChange(deps.control, req, deps.onAudit);
    req.principal = null;
    req.account = null;
    req.appAccess = null;
    req.bearer = null;
    const policy = req.routeOptions.config.policy as PolicyName;
    const spec = ROUTE_POLICIES[policy];
    // Sign-in and refresh take no credential: a stale token sent along must not lock the user out.
    if (spec.scope === 'public') return;

    const bearer = await authenticateBearer(req.headers.authorization, bearerDeps);
    req.bearer = bearer;
    if (bearer.status === 'refused') {
      // An access token that merely expired is what every page reload after 15 minutes sends
      // before refreshing: counted (metrics), but not written to the trail, where it would bury
      // the refusals that mean something (bad signature, ended session, disabled account).
      if (bearer.refusal === 'expired') deps.onAudit?.(AUDIT_ACTIONS.tokenRefused);
      else
        await req.audit(AUDIT_ACTIONS.tokenRefused, {
          success: false,
          user_id: bearer.user_id ?? null,
          details: { reason: bearer.refusal, policy },
        });
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(401, 'invalid_token', 'This token is invalid, expired or revoked. Sign in again (or refresh the access token).');
    }
    if (bearer.status === 'authenticated') {
      req.principal = bearer.principal;
      req.account = bearer.account;
    }

    let decision: Decision;
    let resource: string | null = null;
    if (spec.scope === 'app') {
      const appId = (req.params as { app_id?: string }).app_id ?? '';
      resource = auditResource('app', appId);
      req.appAccess = await resolveAppAccess(deps.control, req.principal, appId);
      decision = await confirmAppExists(deps.control, spec.decide(req.principal, req.appAccess), req.appAccess, req.principal);
    } else {
      decision = await spec.decide(req.principal, { registration: deps.registration, hasUsers });
    }
    if (decision === 'allow') return;

    // A caller without any credential is not an event worth a row; anyone who presented one is.
    if (req.principal !== null) {
      await req.audit(AUDIT_ACTIONS.authorizationRefused, { success: false, resource, details: { policy, decision } });
    }
    throw refusal(decision, policy, req.principal, reply);
  };
}

function refusal(decision: Exclude<Decision, 'allow'>, policy: PolicyName, principal: Principal, reply: FastifyReply): AppError {
  const status = DECISION_STATUS[decision];
  if (policy === 'canRegister') {
    return new AppError(status, 'registration_closed', 'Registration is closed: an administrator creates accounts (REGISTRATION=closed).');
  }
  if (status === 401) {
    reply.header('www-authenticate', 'Bearer');
    const message =
      principal?.kind === 'server_key'
        ? 'A server key only reads /api/analytics of its own app; sign in as a user for this route.'
        : 'Sign in first: send `Authorization: Bearer <access token>`.';
    return new AppError(401, 'not_authenticated', message);
  }
  if (status === 403) return new AppError(403, 'forbidden', 'Your role does not allow this. Ask a manager of the app or an administrator.');
  return new AppError(404, 'not_found', 'Nothing is here. Check the URL and the id in it.');
}
