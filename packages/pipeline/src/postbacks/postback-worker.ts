import type { CidrSet, DeliveryOutcome } from '@unmogrowp/attribution';
import { claimDue, type Postback, recordAttempt, type SqlDb } from '@unmogrowp/storage';
import { DEFAULT_POSTBACK_TIMEOUT_MS, type SendPostback, type SendResult, sendPostback } from './postback-sender.ts';

/** What one attempt came to, for metrics ("postback attempts by outcome") and logs. */
export interface PostbackAttemptOutcome {
  postback_id: string;
  app_id: string;
  /** what the postback reports: the install (event_id '') or an event of it */
  install_id: string;
  event_id: string;
  media_source: string;
  event_name: string;
  attempt: number;
  status_code: number | null;
  error: 'timeout' | 'network' | null;
  /** 'stale': the lease had expired and another worker recorded this attempt first */
  outcome: DeliveryOutcome | 'stale';
  next_attempt_at: number | null;
  duration_ms: number;
}

export interface PostbackWorkerOptions {
  db: SqlDb;
  /** how often to look for due postbacks when idle (default 1 s) */
  intervalMs?: number;
  /** attempts in flight at most (default 8) */
  concurrency?: number;
  /** how long a claimed postback stays reserved for this worker (default 60 s; must exceed the timeout) */
  leaseMs?: number;
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
  send?: SendPostback;
  /** POSTBACK_ALLOWED_CIDRS: private ranges postbacks may still reach (default none). */
  allowed?: CidrSet;
  onAttempt?: (outcome: PostbackAttemptOutcome) => void;
  /** a database or callback error; the worker carries on at the next poll */
  onError?: (err: unknown) => void;
}

export interface PostbackWorker {
  /** Stops polling and waits for the attempts in flight to be sent and recorded. */
  stop(): Promise<void>;
  /** Polls now instead of at the next interval (e.g. right after enqueueing). */
  wake(): void;
}

/**
 * Delivers the outbox: claims due postbacks, sends each once, records the result (which schedules
 * the retry). Any number of workers may share one PostgreSQL database (claims never overlap). Never
 * throws out of its loop: errors go to onError, and what was claimed comes back after its lease.
 */
export function startPostbackWorker(options: PostbackWorkerOptions): PostbackWorker {
  const { db } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? DEFAULT_POSTBACK_TIMEOUT_MS;
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const send = options.send ?? sendPostback;
  if (leaseMs <= timeoutMs)
    throw new RangeError(`leaseMs (${leaseMs}) must exceed timeoutMs (${timeoutMs}), or a slow attempt would be sent twice`);

  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let polling: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const report = (err: unknown) => {
    try {
      options.onError?.(err);
    } catch {
      // A failing error callback must not stop delivery.
    }
  };

  async function attempt(postback: Postback): Promise<void> {
    const sent: SendResult = await send(
      { method: postback.method, url: postback.url, body: postback.body },
      { timeoutMs, allowed: options.allowed },
    ).catch((err: unknown) => ({ error: 'network' as const, detail: String(err), duration_ms: 0 }));
    const result = 'status_code' in sent ? sent.status_code : sent.error;
    const recorded = await recordAttempt(db, {
      postback,
      result,
      detail: 'detail' in sent ? sent.detail : undefined,
      at: now(),
      duration_ms: sent.duration_ms,
      random,
    });
    options.onAttempt?.({
      postback_id: postback.id,
      app_id: postback.app_id,
      install_id: postback.install_id,
      event_id: postback.event_id,
      media_source: postback.media_source,
      event_name: postback.event_name,
      attempt: recorded?.attempt ?? postback.attempts + 1,
      status_code: 'status_code' in sent ? sent.status_code : null,
      error: 'error' in sent ? sent.error : null,
      outcome: recorded?.outcome ?? 'stale',
      next_attempt_at: recorded?.next_attempt_at ?? null,
      duration_ms: sent.duration_ms,
    });
  }

  function track(postback: Postback): void {
    const run: Promise<void> = attempt(postback)
      .catch(report)
      .finally(() => {
        inFlight.delete(run);
        // A slot is free: more may be due right now.
        if (again) wake();
      });
    inFlight.add(run);
  }

  async function poll(): Promise<void> {
    const free = concurrency - inFlight.size;
    if (free <= 0) {
      again = true;
      return;
    }
    try {
      const claimed = await claimDue(db, { limit: free, now: now(), leaseMs });
      again = claimed.length === free;
      for (const postback of claimed) track(postback);
    } catch (err) {
      again = false;
      report(err);
    }
  }

  function wake(): void {
    if (stopped || polling) return;
    polling = poll().finally(() => {
      polling = null;
      schedule();
    });
  }

  function schedule(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(wake, again && inFlight.size < concurrency ? 0 : intervalMs);
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await polling;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
