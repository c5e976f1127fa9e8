import type { RedisHandle } from '@unmogrowp/storage';
import type { DecidedInstall, InstallDecisions } from '../attribution/attribute-batch.ts';

/** Long past any re-delivery (lease TTL + ack wait): the device registry remembers the install after that. */
const DEFAULT_TTL_MS = 86_400_000;

/**
 * The atomic guard under the partition leases: one `SET NX GET` per install decision, keyed by
 * (app, install event id). The first worker to settle an install wins; any other that decides
 * the same install (a former owner paused past its lease, a re-delivery racing its original)
 * gets the winner's decision back and writes that one, so an install has exactly one decision.
 */
export class RedisInstallDecisions implements InstallDecisions {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: RedisHandle,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {
    this.keyPrefix = `${redis.prefix}decision:`;
  }

  async settle(proposed: DecidedInstall): Promise<DecidedInstall> {
    const key = `${this.keyPrefix}${proposed.app_id}|${proposed.install_id}`;
    const earlier = await this.redis.client.set(key, JSON.stringify(proposed), 'PX', this.ttlMs, 'NX', 'GET');
    return earlier === null ? proposed : (JSON.parse(earlier) as DecidedInstall);
  }
}
