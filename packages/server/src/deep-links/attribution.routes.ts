import type { DecisionFeed, DeviceRegistry } from '@unmogrowp/pipeline';
import type { ClickLinkCache, DeepLink } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { AppError, badRequest, unauthorized } from '../http/app-error.ts';
import { presentedKey } from '../ingest/presented-key.ts';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';
import { attributionAnswer } from './attribution-answer.ts';
import type { SeenDevices } from './seen-devices.ts';

export interface AttributionRouteDeps {
  keys: AppKeyResolver;
  devices: DeviceRegistry;
  decisions: DecisionFeed;
  seen: SeenDevices;
  links: ClickLinkCache;
}

/** Long-polls are capped so a slow SDK cannot hold connections for minutes. */
export const MAX_WAIT_SECONDS = 30;
const MAX_DEVICE_ID = 256;

/**
 * `GET /v1/attribution/:device_id?wait=N` (docs/deep-links.md): the device's attribution and deep
 * link once its install is decided. The app comes from the SDK key, so a device is only ever
 * looked up inside that app. Undecided: the request waits up to `wait` seconds for the pipeline
 * to announce the decision, then answers 202 pending (seen, not decided) or 404 (never seen).
 */
export async function attributionRoutes(app: FastifyInstance, deps: AttributionRouteDeps) {
  app.get<{ Params: { device_id: string }; Querystring: { wait?: string } }>('/v1/attribution/:device_id', async (req, reply) => {
    const key = await deps.keys.resolve(presentedKey(req, null) ?? '');
    if (!key) throw unauthorized('invalid_api_key', 'Send the app\u2019s SDK key as Basic auth user or as X-Api-Key.');
    const deviceId = req.params.device_id;
    if (deviceId.length === 0 || deviceId.length > MAX_DEVICE_ID || /\p{Cc}/u.test(deviceId)) {
      throw badRequest('invalid_device_id', `The device id must be 1 to ${MAX_DEVICE_ID} characters without control characters.`);
    }
    const waitMs = waitSeconds(req.query.wait) * 1000;
    const appId = key.app_id;

    const gone = new AbortController();
    const onClose = () => gone.abort();
    req.raw.once('close', onClose);
    const state = await waitForDecision(deps, appId, deviceId, waitMs, gone.signal);
    req.raw.off('close', onClose);
    reply.header('cache-control', 'no-store');

    if (state) {
      const deepLinks = await deepLinksOf(deps.links, appId, [
        state.attribution.link_id,
        ...state.reengagements.map((r) => r.credit.link_id),
      ]);
      return attributionAnswer(state, (id) => deepLinks.get(id) ?? null);
    }
    if (deps.seen.has(appId, deviceId)) return reply.code(202).send({ status: 'pending' });
    throw new AppError(
      404,
      'unknown_device',
      'This app has received nothing from this device yet. Send its install (or first open) event, then ask again.',
    );
  });
}

/** The registry is re-read at least this often while waiting: a missed wake-up costs at most this much. */
const RECHECK_MS = 1_000;

/**
 * The device's state, waiting up to `waitMs` for it: woken by the decision feed, and re-reading
 * the registry every second regardless (the fallback when the feed misses a decision, e.g. one
 * made by another process). The wait is registered before each look, so a decision published
 * between the look and the wait still wakes it.
 */
async function waitForDecision(deps: AttributionRouteDeps, appId: string, deviceId: string, waitMs: number, gone: AbortSignal) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const slice = Math.min(RECHECK_MS, deadline - Date.now());
    const stop = new AbortController();
    const abort = () => stop.abort();
    gone.addEventListener('abort', abort, { once: true });
    const woken = deps.decisions.waitFor(appId, deviceId, slice, stop.signal);
    const state = await deps.devices.get(appId, deviceId);
    if (state || slice <= 0 || gone.aborted) {
      stop.abort();
      gone.removeEventListener('abort', abort);
      return state;
    }
    await woken;
    gone.removeEventListener('abort', abort);
  }
}

function waitSeconds(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) {
    throw badRequest('invalid_wait', `wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}.`, { field: 'wait' });
  }
  return Math.min(n, MAX_WAIT_SECONDS);
}

/** Deep links of this app's links (another app's link id, unknown or deleted: none). */
async function deepLinksOf(links: ClickLinkCache, appId: string, ids: readonly string[]): Promise<Map<string, DeepLink | null>> {
  const out = new Map<string, DeepLink | null>();
  for (const id of new Set(ids.filter((i) => i !== ''))) {
    const found = await links.get(id);
    out.set(id, found && found.app.id === appId ? found.link.deep_link : null);
  }
  return out;
}
