import { setTimeout as sleep } from 'node:timers/promises';
import type { EventLog, RecordsHandler, WarmingDedupeIndex } from '@unmogrowp/pipeline';
import { warmDedupeFromStore } from '@unmogrowp/pipeline';
import type { EventStore } from '@unmogrowp/storage';
import type { Logger } from 'pino';

export interface WarmUp {
  /** Resolves once the pipeline consumes the log (or start-up was abandoned by close). */
  readonly done: Promise<void>;
  phase(): 'attribution_state' | 'dedupe_ids' | 'running' | 'stopped';
  /** Stops retrying; a scan in flight ends when the store closes. */
  stop(): void;
}

/**
 * The part of start-up that grows with what is stored, run after the listeners opened so a
 * restart answers in seconds whatever the data size:
 *  1. the attribution state is read back; the log is not consumed before it is complete, so no
 *     install is decided without the touches and installed devices it needs (events keep being
 *     accepted into the log meanwhile, bounded by the lag limit);
 *  2. the pipeline starts consuming the log and catches up;
 *  3. the dedupe index is filled from the store; until then it asks the store about ids it
 *     does not know (WarmingDedupeIndex).
 * A failure is logged and retried: the process stays up and keeps accepting into the log.
 */
export function warmBehindListeners(deps: {
  dedupe: WarmingDedupeIndex;
  events: EventStore;
  log: EventLog;
  pipeline: { warm: () => Promise<unknown>; handler: RecordsHandler };
  dedupeDays: number;
  logger: Logger;
}): WarmUp {
  let phase: ReturnType<WarmUp['phase']> = 'attribution_state';
  let stopped = false;
  const retrying = async <T>(what: string, task: () => Promise<T>): Promise<T | undefined> => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        return await task();
      } catch (err) {
        if (stopped) return undefined;
        deps.logger.error({ err, attempt }, `start-up: ${what} failed; retrying`);
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
    return undefined;
  };
  const done = (async () => {
    await retrying('reading the attribution state back', deps.pipeline.warm);
    if (stopped) return;
    deps.log.consume(deps.pipeline.handler);
    phase = 'dedupe_ids';
    const started = Date.now();
    const fromStore = await retrying('reading stored ids into the dedupe index', () =>
      warmDedupeFromStore(deps.dedupe, deps.events, deps.dedupeDays),
    );
    if (stopped) return;
    deps.dedupe.warmed();
    phase = 'running';
    deps.logger.info({ fromStore, ms: Date.now() - started }, 'dedupe index warmed from the event store');
  })();
  return {
    done,
    phase: () => (stopped ? 'stopped' : phase),
    stop: () => {
      stopped = true;
    },
  };
}
