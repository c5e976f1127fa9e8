import type { RedisHandle } from '@unmogrowp/storage';
import type { ClaimState, DedupeIndex } from './dedupe-index.ts';

const DAY = 86_400_000;
/** How long a pending claim lives without commit or release: far beyond one log append. */
const PENDING_TTL_MS = 30_000;

/** What a dedupe key holds: a claim whose write is durable, or one still being written. */
export const COMMITTED = 'c';
export const PENDING = 'p';

/** The script's answers 0, 1, 2. */
const STATES: readonly ClaimState[] = ['duplicate', 'claimed', 'pending'];

/**
 * KEYS[1] the day's claim counter, KEYS[2…] the dedupe keys; ARGV: value, TTL ms, counter TTL ms.
 * Answers 1 (claimed now), 0 (committed before) or 2 (pending) per key. One script per batch:
 * a request's ids cost one round trip, and two processes claiming the same id cannot both win.
 */
const CLAIM = `
local out = {}
local fresh = 0
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
    out[i - 1] = 1
    fresh = fresh + 1
  elseif redis.call('GET', KEYS[i]) == '${PENDING}' then
    out[i - 1] = 2
  else
    out[i - 1] = 0
  end
end
if fresh > 0 then
  redis.call('INCRBY', KEYS[1], fresh)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return out
`;

/** KEYS[1] the day's counter, KEYS[2…] keys to forget; ARGV[1] counter TTL ms. */
const RELEASE = `
local n = redis.call('DEL', unpack(KEYS, 2))
if n > 0 then
  redis.call('DECRBY', KEYS[1], n)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
`;

export interface RedisDedupeIndexOptions {
  /** Days a key is remembered (DEDUPE_DAYS; docs/api.md promises at least 7). */
  windowDays: number;
}

/**
 * The dedupe index for several ingest processes: one string key per `(app, event_id)` under
 * `<prefix>d:`, set with `SET NX` and a TTL of the window, so Redis forgets it on its own. A key
 * holds `c` (committed) or `p` (a claim whose write has not finished yet), so a claim that must
 * wait for a durable write can be taken as pending with a short TTL and upgraded afterwards
 * (`claimStates(keys, now, PENDING, ttl)` answering claimed | duplicate | pending, then
 * `commit(keys, now)` or `release`) without changing the layout. `size()` sums one counter per UTC day
 * of claims over the window: exact while nothing expires, an estimate (± a day of claims) after.
 */
export class RedisDedupeIndex implements DedupeIndex {
  private readonly windowMs: number;
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: RedisHandle,
    options: RedisDedupeIndexOptions,
  ) {
    if (!(options.windowDays >= 1)) throw new RangeError('windowDays must be ≥ 1');
    this.windowMs = options.windowDays * DAY;
    this.keyPrefix = `${redis.prefix}d:`;
  }

  /** A claim is pending (short TTL: a process killed mid-write frees it by itself) until `commit`. */
  async claim(keys: readonly string[], now: number): Promise<ClaimState[]> {
    return this.claimStates(keys, now, PENDING, PENDING_TTL_MS);
  }

  /**
   * Claims with `value` (COMMITTED or PENDING) for `ttlMs`; what each key was. A pending claim
   * must be committed (or released) before its TTL runs out, or it is forgotten.
   */
  async claimStates(keys: readonly string[], now: number, value: string, ttlMs: number): Promise<ClaimState[]> {
    if (keys.length === 0) return [];
    const answers = (await this.redis.client.eval(
      CLAIM,
      keys.length + 1,
      this.counterKey(now),
      ...keys.map((k) => this.keyPrefix + k),
      value,
      Math.ceil(ttlMs),
      this.windowMs + 2 * DAY,
    )) as number[];
    return answers.map((a) => STATES[a]!);
  }

  /** Makes claims final: committed, remembered for the whole window from `now`. */
  async commit(keys: readonly string[], now: number): Promise<void> {
    if (keys.length === 0) return;
    const batch = this.redis.client.pipeline();
    for (const k of keys) batch.set(this.keyPrefix + k, COMMITTED, 'PXAT', now + this.windowMs);
    await exec(batch);
  }

  async release(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.client.eval(
      RELEASE,
      keys.length + 1,
      this.counterKey(Date.now()),
      ...keys.map((k) => this.keyPrefix + k),
      this.windowMs + 2 * DAY,
    );
  }

  /** Each key expires `windowDays` after its own time; keys already past the window are skipped. */
  async remember(keys: readonly string[], at: readonly number[]): Promise<void> {
    const batch = this.redis.client.pipeline();
    const now = Date.now();
    let queued = 0;
    for (let i = 0; i < keys.length; i++) {
      const expireAt = at[i]! + this.windowMs;
      if (expireAt <= now) continue;
      batch.set(this.keyPrefix + keys[i]!, COMMITTED, 'PXAT', expireAt, 'NX');
      queued++;
    }
    if (queued === 0) return;
    const answers = await exec(batch);
    const added = answers.filter((a) => a === 'OK').length;
    if (added > 0)
      await this.redis.client
        .pipeline()
        .incrby(this.counterKey(now), added)
        .pexpire(this.counterKey(now), this.windowMs + 2 * DAY)
        .exec();
  }

  async size(): Promise<number> {
    const today = Math.floor(Date.now() / DAY);
    const days = Math.ceil(this.windowMs / DAY);
    const counters = Array.from({ length: days + 1 }, (_, i) => `${this.keyPrefix}#${today - i}`);
    const values = await this.redis.client.mget(...counters);
    return Math.max(
      0,
      values.reduce((n, v) => n + Number(v ?? 0), 0),
    );
  }

  private counterKey(now: number): string {
    return `${this.keyPrefix}#${Math.floor(now / DAY)}`;
  }
}

/** Runs a pipeline; the first failed command rejects the whole call. */
async function exec(batch: ReturnType<RedisHandle['client']['pipeline']>): Promise<unknown[]> {
  const results = (await batch.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
  return results.map(([, value]) => value);
}
