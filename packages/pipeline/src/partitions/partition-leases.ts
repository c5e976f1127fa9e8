import type { RedisHandle } from '@unmogrowp/storage';

/** A worker's hold on one partition; `token` (the fencing token) grows with every new holder. */
export interface Lease {
  partition: number;
  token: number;
}

/**
 * KEYS[1] the lease, KEYS[2] the partition's fencing counter; ARGV worker id, TTL ms.
 * Takes a free lease and stamps it with the next fencing token; nil when someone holds it.
 */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '/' .. token, 'PX', ARGV[2])
return token
`;

/** KEYS[1] the lease; ARGV holder value, TTL ms. Extends it only while it is still ours. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** KEYS[1] the lease; ARGV holder value. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS[1] the workers' heartbeat set; ARGV worker id, TTL ms. Notes this worker alive (by the
 * server's clock, so hosts' clocks may differ), forgets workers silent for a TTL, and answers
 * how many are alive.
 */
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[2] * 10)
return redis.call('ZCARD', KEYS[1])
`;

/**
 * Partition leases in Redis (docs/scale-out-partitioning.md). A lease is `SET NX PX`: it lives
 * while its holder renews it and expires on its own when the holder dies, so another worker
 * takes the partition a TTL later. Each new holder gets a larger fencing token; a worker checks
 * it still holds its token before it commits a batch's decisions, so a worker that was paused
 * past its lease (and replaced) cannot commit over its successor.
 */
export class PartitionLeases {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisHandle,
    readonly workerId: string,
    readonly ttlMs: number,
  ) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(workerId)) throw new Error(`worker id "${workerId}" must be letters, digits, "_", "-", "." or ":"`);
    this.prefix = `${redis.prefix}lease:`;
  }

  private key(partition: number): string {
    return `${this.prefix}p${partition}`;
  }

  private value(lease: Lease): string {
    return `${this.workerId}/${lease.token}`;
  }

  /** The lease, or null when another worker holds it. */
  async acquire(partition: number): Promise<Lease | null> {
    const token = await this.redis.client.eval(
      ACQUIRE,
      2,
      this.key(partition),
      `${this.prefix}fence:p${partition}`,
      this.workerId,
      this.ttlMs,
    );
    return token === null ? null : { partition, token: Number(token) };
  }

  /** False when the lease expired or was taken over: the partition is no longer ours. */
  async renew(lease: Lease): Promise<boolean> {
    return (await this.redis.client.eval(RENEW, 1, this.key(lease.partition), this.value(lease), this.ttlMs)) === 1;
  }

  /** The lease's key and this holder's value in it, for scripts that must run under the lease (insert-plans.redis.ts). */
  fenceOf(lease: Lease): { key: string; value: string } {
    return { key: this.key(lease.partition), value: this.value(lease) };
  }

  /** The fencing check: true only while this very lease (worker and token) is the current one. */
  async holds(lease: Lease): Promise<boolean> {
    return (await this.redis.client.get(this.key(lease.partition))) === this.value(lease);
  }

  async release(lease: Lease): Promise<void> {
    await this.redis.client.eval(RELEASE, 1, this.key(lease.partition), this.value(lease));
  }

  /** Notes this worker alive; answers the number of live workers (the share of partitions each should take). */
  async heartbeat(): Promise<number> {
    return Number(await this.redis.client.eval(HEARTBEAT, 1, `${this.redis.prefix}workers`, this.workerId, this.ttlMs));
  }

  /** Leaves the live set at once (a clean stop), so the others rebalance without waiting a TTL. */
  async leave(): Promise<void> {
    await this.redis.client.zrem(`${this.redis.prefix}workers`, this.workerId);
  }

  /** Who holds each partition now (for /metrics and tests). */
  async holders(partitions: number): Promise<(string | null)[]> {
    const keys = Array.from({ length: partitions }, (_, p) => this.key(p));
    const values = await this.redis.client.mget(...keys);
    return values.map((v) => (v === null ? null : v.slice(0, v.lastIndexOf('/'))));
  }
}

export class LeaseLostError extends Error {
  constructor(partition: number) {
    super(`partition ${partition}: this worker no longer holds its lease; the batch is left for the new owner`);
    this.name = 'LeaseLostError';
  }
}
