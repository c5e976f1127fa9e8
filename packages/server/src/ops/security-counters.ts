import { AUDIT_ACTIONS, type AuditAction } from '../security/audit-actions.ts';
import type { Metrics } from './metrics.ts';

type SecurityMetrics = Pick<Metrics, 'loginFailures' | 'tokenRefusals' | 'authorizationRefusals'>;

const LOGIN_FAILURES: Partial<Record<AuditAction, string>> = {
  [AUDIT_ACTIONS.loginFailed]: 'bad_credentials',
  [AUDIT_ACTIONS.loginRateLimited]: 'rate_limited',
};
const TOKEN_REFUSALS: Partial<Record<AuditAction, string>> = {
  [AUDIT_ACTIONS.tokenRefused]: 'access',
  [AUDIT_ACTIONS.refreshRefused]: 'refresh',
  [AUDIT_ACTIONS.refreshReuse]: 'refresh_reuse',
};

/**
 * Every failed sign-in and every refusal is already written to the audit trail, by one
 * recorder: counting at that point keeps the metrics and the trail in agreement.
 */
export function countSecurityAction(metrics: SecurityMetrics, action: AuditAction): void {
  const login = LOGIN_FAILURES[action];
  if (login) metrics.loginFailures.labels(login).inc();
  const token = TOKEN_REFUSALS[action];
  if (token) metrics.tokenRefusals.labels(token).inc();
  if (action === AUDIT_ACTIONS.authorizationRefused) metrics.authorizationRefusals.inc();
}
