import { AUDIT_ACTIONS, type AuditAction } from '../security/audit-actions.ts';
import type { Metrics } from './metrics.ts';

type SecurityMetrics = Pick<Metrics, 'loginFailures' | 'tokenRefusals' | 'authorizationRefusals'>;

/**
 * Every failed sign-in and every refusal is already written to the audit trail, by one
 * recorder: counting at that point keeps the metrics and the trail in agreement.
 */
export function countSecurityAction(metrics: SecurityMetrics, action: AuditAction): void {
  switch (action) {
    case AUDIT_ACTIONS.loginFailed:
      return metrics.loginFailures.labels('bad_credentials').inc();
    case AUDIT_ACTIONS.loginRateLimited:
      return metrics.loginFailures.labels('rate_limited').inc();
    case AUDIT_ACTIONS.tokenRefused:
      return metrics.tokenRefusals.labels('access').inc();
    case AUDIT_ACTIONS.refreshRefused:
      return metrics.tokenRefusals.labels('refresh').inc();
    case AUDIT_ACTIONS.refreshReuse:
      return metrics.tokenRefusals.labels('refresh_reuse').inc();
    case AUDIT_ACTIONS.authorizationRefused:
      return metrics.authorizationRefusals.inc();
  }
}
