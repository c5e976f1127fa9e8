import { createHash } from 'node:crypto';
import type { EventTable, RedisHandle } from '@unmogrowp/storage';
import type { Lease, PartitionLeases } from './partition-leases.ts';

/**
 * What a worker is about to insert for one batch of a partition, fixed before its first insert
 * (docs/scale-out-partitioning.md, "stored exactly once"):
 * - `seqs`: the stream sequences of the batch's records, which name the batch (`id`);
 * - `stored`: per table, the ids found stored before the batch (left out of its inserts).
 * Every insert of the batch carries a dedupe token made from `id`, so whoever inserts the same
 * plan again (the same worker retrying, or the partition's next holder redoing the batch of a
 * holder paused past its lease) sends the same rows under the same token, and the store keeps
 * whichever insert lands first.
 */
export interface InsertPlan {
  partition: number;
  id: string;
  seqs: number[];
  stored: Partial<Record<EventTable, string[]>>;
}

/**
 * The plan id of a batch: the same records of the same partition of the same stream give the
 * same id, whoever reads them; a stream created again (sequences from 1) gives other ids.
 */
export function insertPlanId(stream: string, partition: number, seqs: readonly number[]): string {
  return createHash('sha256')
    .update(`${stream}\n${partition}\n${seqs.join(',')}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The dedupe token of every insert of a plan (the store prefixes the table). */
export function insertPlanToken(plan: Pick<InsertPlan, 'partition' | 'id'>): string {
  return `p${plan.partition}-${plan.id}`;
}

/**
 * KEYS[1] the lease, KEYS[2] the partition's plan; ARGV holder value, plan JSON, plan id, TTL ms.
 * The fencing check and the plan in one step: written only while the lease is this holder's,
 * and never over another batch's unfinished plan (that one must be redone first).
 * 1 written (or already there), 0 lease lost, -1 another plan is pending.
 */
const FIX = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local pending = redis.call('GET', KEYS[2])
if pending and cjson.decode(pending).id ~= ARGV[3] then return -1 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
return 1
`;

/** KEYS[1] the lease, KEYS[2] the plan; ARGV holder value, plan id. Forgets the plan once its inserts are done. */
const SETTLE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local pending = redis.call('GET', KEYS[2])
if pending and cjson.decode(pending).id == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 1
`;

/** Outlives any stream record (NATS_MAX_AGE_HOURS' default): a pending plan is redone whenever its partition is next handled. */
const PLAN_TTL_MS = 8 * 86_400_000;

/** Insert plans in Redis, one pending plan per partition at most, written and settled under the partition's lease. */
export class InsertPlans {
  constructor(
    private readonly redis: RedisHandle,
    private readonly leases: Pick<PartitionLeases, 'fenceOf'>,
  ) {}

  private key(partition: number): string {
    return `${this.redis.prefix}plan:p${partition}`;
  }

  /** The partition's unfinished plan: one whose inserts may or may not have landed. */
  async pending(partition: number): Promise<InsertPlan | null> {
    const text = await this.redis.client.get(this.key(partition));
    return text === null ? null : (JSON.parse(text) as InsertPlan);
  }

  /** Fencing check and plan in one step; 'lost' when the lease is gone, 'blocked' while another plan is pending. */
  async fix(lease: Lease, plan: InsertPlan): Promise<'fixed' | 'lost' | 'blocked'> {
    const fence = this.leases.fenceOf(lease);
    const answer = Number(
      await this.redis.client.eval(FIX, 2, fence.key, this.key(lease.partition), fence.value, JSON.stringify(plan), plan.id, PLAN_TTL_MS),
    );
    return answer === 1 ? 'fixed' : answer === 0 ? 'lost' : 'blocked';
  }

  /** After the plan's inserts: false when the lease is gone (the batch is then not acknowledged here). */
  async settle(lease: Lease, planId: string): Promise<boolean> {
    const fence = this.leases.fenceOf(lease);
    return Number(await this.redis.client.eval(SETTLE, 2, fence.key, this.key(lease.partition), fence.value, planId)) === 1;
  }
}
