import {
  extractBodyKey,
  type NormalizeContext,
  type NormalizeResult,
  normalizeNative,
  normalizeNativeBatch,
  normalizePosthog,
  normalizeSegment,
  type WireSource,
} from '@unmogrowp/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SeenDevices } from '../deep-links/seen-devices.ts';
import { AppError, unauthorized } from '../http/app-error.ts';
import type { AppKeyResolver, ResolvedKey } from '../keys/app-key-resolver.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { IngestRateLimit } from '../security/key-rate-limit.ts';
import { type AcceptDeps, acceptItems, assertWritable } from './accept-items.ts';
import { ingestCors } from './ingest-cors.ts';
import { presentedKey } from './presented-key.ts';

export interface IngestRouteDeps extends AcceptDeps {
  keys: AppKeyResolver;
  metrics: Metrics;
  /** `INGEST_RATE_LIMIT` per app key; absent = off (the default). */
  rateLimit?: IngestRateLimit;
  /** Devices heard from, so `GET /v1/attribution` can tell pending from unknown. */
  seen?: SeenDevices;
}

type Normalize = (body: unknown, ctx: NormalizeContext) => NormalizeResult;

const SEGMENT_ROUTES = ['batch', 'track', 'screen', 'page', 'identify', 'alias', 'group'] as const;
const POSTHOG_ROUTES = ['/batch/', '/capture/', '/e/', '/i/v0/e/'];

/** Every SDK-facing path: they, and only they, answer browsers from any origin. */
export const INGEST_PATHS: readonly string[] = [
  '/v1/events',
  '/v1/events/batch',
  ...SEGMENT_ROUTES.map((r) => `/v1/${r}`),
  ...POSTHOG_ROUTES,
];

export async function ingestRoutes(app: FastifyInstance, deps: IngestRouteDeps) {
  ingestCors(app, INGEST_PATHS);
  const route = (url: string, format: WireSource, normalize: Normalize) => {
    // Labelled once per route: prom-client validates and sorts labels on every labels() call.
    const accepted = deps.metrics.ingestItems.labels('accepted', format);
    const duplicate = deps.metrics.ingestItems.labels('duplicate', format);
    const rejectedItems = deps.metrics.ingestItems.labels('rejected', format);
    app.post(url, async (req, reply) => {
      assertWritable(deps);
      const key = await authenticate(req, deps.keys);
      await limitRate(deps.rateLimit, key);
      const now = Date.now();
      const ctx: NormalizeContext = {
        app_id: key.app_id,
        received_at: now,
        ip: req.ip,
        user_agent: req.headers['user-agent'] ?? '',
        trusted: key.kind === 'server',
      };
      const { items, rejected } = runNormalizer(normalize, req.body, ctx);
      const parent = req.headers.traceparent;
      const result = await acceptItems(deps, items, rejected, now, typeof parent === 'string' ? parent : undefined);
      for (const { item } of items) if (item.kind === 'event') deps.seen?.mark(item.app_id, item.device_id, now);
      accepted.inc(result.accepted);
      duplicate.inc(result.duplicates);
      rejectedItems.inc(result.rejected.length);
      return reply.code(202).send(result);
    });
  };

  route('/v1/events', 'native', normalizeNative);
  route('/v1/events/batch', 'native', normalizeNativeBatch);
  for (const r of SEGMENT_ROUTES) route(`/v1/${r}`, 'segment', (body, ctx) => normalizeSegment(body, ctx, r));
  for (const url of POSTHOG_ROUTES) route(url, 'posthog', normalizePosthog);
}

async function authenticate(req: FastifyRequest, keys: AppKeyResolver): Promise<ResolvedKey> {
  const presented = presentedKey(req, extractBodyKey(req.body));
  if (!presented) {
    throw unauthorized('missing_api_key', 'Send the app key as Basic auth user, as X-Api-Key, or as writeKey/api_key in the body.');
  }
  const resolved = await keys.resolve(presented);
  if (!resolved)
    throw unauthorized('invalid_api_key', 'This key is unknown or has been revoked. Copy the current key from the app settings.');
  return resolved;
}

async function limitRate(limit: IngestRateLimit | undefined, key: ResolvedKey): Promise<void> {
  const decision = await limit?.take(`${key.app_id}:${key.kind}`);
  if (decision && !decision.allowed) {
    throw new AppError(
      429,
      'rate_limited',
      'This key sends more requests per second than this server allows (INGEST_RATE_LIMIT). Batch events, or retry after the delay.',
      { retry_after_seconds: decision.retryAfterSeconds },
      decision.retryAfterSeconds,
    );
  }
}

/** A whole-body problem (not an object, too many events) is the normalizer's to name; it becomes a 400. */
function runNormalizer(normalize: Normalize, body: unknown, ctx: NormalizeContext): NormalizeResult {
  try {
    return normalize(body, ctx);
  } catch (err) {
    const e = err as { status?: number; code?: string; message: string; details?: Record<string, unknown> };
    if (typeof e.status === 'number' && typeof e.code === 'string') throw new AppError(e.status, e.code, e.message, e.details);
    throw err;
  }
}
