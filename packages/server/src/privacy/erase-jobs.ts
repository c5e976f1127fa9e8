import type { AttributionDeps, DedupeIndex } from '@unmogrowp/pipeline';
import {
  type ClaimedErase,
  claimEraseRequest,
  type EventStore,
  erasePostbacks,
  failEraseAttempt,
  finishEraseRequest,
  idKey,
  type PersonIdentifiers,
  type PersonKey,
  type SqlDb,
  saveEraseCounts,
  saveErasePerson,
} from '@unmogrowp/storage';
import type { Logger } from 'pino';

export interface EraseJobDeps {
  control: SqlDb;
  events: EventStore;
  /** The attribution state in this process (touchpoint index, device registry, flood counter). */
  attribution: Pick<AttributionDeps, 'touchpoints' | 'devices' | 'floods'>;
  dedupe: Pick<DedupeIndex, 'release'>;
  logger: Logger;
  /** Waits until what was logged before now is stored, so the person's in-flight events are erased too. */
  settle?: () => Promise<unknown>;
  /** How long a claimed request is reserved for this process (default 10 minutes). */
  leaseMs?: number;
  /** Poll interval when idle (default 30 s; a new request wakes the worker at once). */
  intervalMs?: number;
}

export interface EraseJobs {
  /** Looks for work now (after a new request). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Works through erase requests one at a time: each step is safe to repeat, so a request
 * interrupted by a crash or restart is claimed again when its lease runs out and finished.
 * Order: the stored rows first (so nothing is rebuilt from them), then the in-memory state,
 * then the outbox.
 */
export function startEraseJobs(deps: EraseJobDeps): EraseJobs {
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const intervalMs = deps.intervalMs ?? 30_000;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const runOnce = async () => {
    for (;;) {
      if (stopped) return;
      const request = await claimEraseRequest(deps.control, leaseMs);
      if (!request) return;
      try {
        const counts = await eraseOne(deps, request);
        await finishEraseRequest(deps.control, request.request_id, counts);
        deps.logger.info({ request_id: request.request_id, app_id: request.app_id, counts }, 'erase request done');
      } catch (err) {
        deps.logger.error({ err, request_id: request.request_id }, 'erase request failed; it is retried');
        await failEraseAttempt(deps.control, request.request_id, (err as Error).message, Math.min(60_000 * request.attempts, 3_600_000));
      }
    }
  };
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((err) => deps.logger.error({ err }, 'erase worker failed; retrying at the next poll'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          wake();
        }
      });
  };
  const timer = setInterval(wake, intervalMs).unref();
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

async function eraseOne(deps: EraseJobDeps, request: ClaimedErase): Promise<Record<string, number>> {
  await deps.settle?.();
  const key = { [request.kind]: request.value } as PersonKey;
  // What an earlier, interrupted attempt found counts too: its rows may already be gone.
  const person = mergePerson(await deps.events.findPerson(request.app_id, key), request.person);
  // A device id or advertising id the store never saw is still forgotten wherever it may sit.
  if ('device_id' in key && !person.device_ids.includes(key.device_id)) person.device_ids.push(key.device_id);
  if ('advertising_id' in key && !person.advertising_ids.includes(key.advertising_id)) person.advertising_ids.push(key.advertising_id);
  await saveErasePerson(deps.control, request.request_id, person as unknown as Record<string, string[]>);
  const stored = addCounts(request.counts, await deps.events.erasePerson(request.app_id, person));
  await saveEraseCounts(deps.control, request.request_id, stored);
  const touchpoints = await deps.attribution.touchpoints.forget(request.app_id, {
    advertisingIds: person.advertising_ids,
    touchIds: person.touch_ids,
  });
  const devices = await deps.attribution.devices.forget(request.app_id, person.device_ids);
  await deps.dedupe.release(person.event_ids.map((id) => idKey(request.app_id, id)));
  const floods = await deps.attribution.floods.forgetIps(person.click_ips);
  const postbacks = await erasePostbacks(deps.control, request.app_id, person.install_ids);
  return {
    ...stored,
    touchpoint_index: touchpoints,
    device_registry: devices,
    dedupe_index: person.event_ids.length,
    click_flood_counter: floods,
    postbacks,
  };
}

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function mergePerson(found: PersonIdentifiers, earlier: Record<string, string[]> | null): PersonIdentifiers {
  if (!earlier) return found;
  const merged = { ...found };
  for (const key of Object.keys(found) as (keyof PersonIdentifiers)[]) {
    merged[key] = [...new Set([...found[key], ...(earlier[key] ?? [])])];
  }
  return merged;
}
