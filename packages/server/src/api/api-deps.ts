import type { Config } from '@unmogrowp/config';
import type { EventStore, SqlDb } from '@unmogrowp/storage';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';
import type { SystemStatus } from '../ops/system-status.ts';
import type { AuditAction } from '../security/audit-actions.ts';
import type { WindowRateLimit } from '../security/rate-limiter.ts';
import type { SigningKeys } from '../security/signing-keys.ts';

/** What the API routes are given by the composition root (platform.ts). */
export interface ApiDeps {
  config: Config;
  control: SqlDb;
  events: EventStore;
  keys: AppKeyResolver;
  signing: SigningKeys;
  /**
   * Called after a link is changed, enabled/disabled or deleted, so the click route's link cache
   * drops it at once (the composition root connects it to the ingest listener's LinkCache).
   */
  onLinkChanged?: (linkId?: string) => void;
  /** The erase worker: woken when a request is made (absent in API-only test setups). */
  erase?: { wake(): void };
  /**
   * Where the sign-in and registration counts live (`name` keeps the counters apart): this
   * process's memory when absent; Redis in the scale-out profile with REDIS_URL, so every api
   * process counts the same attempts against one limit.
   */
  windowLimits?: (name: string, limit: number, windowSeconds: number) => WindowRateLimit;
  /** Operations hooks: metrics from audited actions, and the admin System screen's source. */
  ops?: {
    onAudit?: (action: AuditAction) => void;
    systemStatus?: () => Promise<SystemStatus>;
  };
}
