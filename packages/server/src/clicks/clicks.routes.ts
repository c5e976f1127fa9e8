import { hash } from 'node:crypto';
import { parseIsoTimestamp, type TouchItem } from '@unmogrowp/schema';
import { type ClickLink, type ClickLinkCache, isLinkId, randomBase62 } from '@unmogrowp/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, badRequest, notFound, unauthorized } from '../http/app-error.ts';
import { type AcceptDeps, acceptItems } from '../ingest/accept-items.ts';
import { presentedKey } from '../ingest/presented-key.ts';
import type { AppKeyResolver } from '../keys/app-key-resolver.ts';
import type { TouchRefusal } from '../ops/domain-metrics.ts';
import type { Metrics } from '../ops/metrics.ts';
import { clickDestination } from './click-destination.ts';

import { stringFields, touchFromRequest } from './touch-from-request.ts';

export interface ClickRouteDeps extends AcceptDeps {
  links: ClickLinkCache;
  keys: AppKeyResolver;
  metrics: Metrics;
}

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** S2S touches may be reported late, but not from before any window could still use them. */
const MAX_S2S_AGE_MS = 30 * 86_400_000;
const MAX_S2S_FUTURE_MS = 10 * 60_000;

/** Public tracking-link routes (placed in ads, no key) and their server-to-server twins (docs/api.md §2). */
export async function clickRoutes(app: FastifyInstance, deps: ClickRouteDeps) {
  const page = (reply: FastifyReply, status: number, text: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`<!doctype html><title>${text}</title><p>${text}</p>`);

  const refused = (touch: TouchItem['touch'], reason: TouchRefusal) => deps.metrics.touches.labels(touch, 'refused', reason).inc();
  // Labelled once, not per click: prom-client validates and sorts the labels on every labels() call.
  const counters = (touch: TouchItem['touch']) => ({
    accepted: [deps.metrics.ingestItems.labels('accepted', touch), deps.metrics.touches.labels(touch, 'recorded', 'none')],
    duplicate: [deps.metrics.ingestItems.labels('duplicate', touch), deps.metrics.touches.labels(touch, 'duplicate', 'none')],
  });
  const counted = { click: counters('click'), impression: counters('impression') };

  const publicLink = async (req: FastifyRequest<{ Params: { link_id: string } }>, reply: FastifyReply, touch: TouchItem['touch']) => {
    const found = isLinkId(req.params.link_id) ? await deps.links.get(req.params.link_id) : null;
    if (!found) {
      refused(touch, 'unknown_link');
      return void page(reply, 404, 'This link does not exist.');
    }
    if (!found.link.enabled) {
      refused(touch, 'link_disabled');
      return void page(reply, 410, 'This link is no longer active.');
    }
    return found;
  };

  const record = async (
    found: ClickLink,
    touch: 'click' | 'impression',
    req: FastifyRequest,
    fields: Record<string, string>,
    keyed: { ts?: number } | null,
  ) => {
    const now = Date.now();
    // Only a server-key call speaks for someone else: a public URL's `ip=` / `user_agent=` would
    // let any visitor dodge the click-flood rule or plant a probabilistic match, so there they
    // stay ordinary parameters and the connection and header decide.
    const item = touchFromRequest(found, {
      touch,
      clickId: clickIdFor(found, touch, fields.click_id, keyed !== null),
      timestamp: keyed?.ts ?? now,
      receivedAt: now,
      ip: (keyed && fields.ip) || req.ip,
      userAgent: (keyed ? fields.user_agent : undefined) ?? req.headers['user-agent'] ?? '',
      fields,
    });
    const result = await acceptItems(deps, [{ index: 0, item }], [], now).catch((err: unknown) => {
      refused(touch, 'unavailable');
      throw err;
    });
    for (const counter of counted[touch][result.accepted ? 'accepted' : 'duplicate']) counter.inc();
    return { item, result };
  };

  app.get<{ Params: { link_id: string } }>('/c/:link_id', async (req, reply) => {
    const found = await publicLink(req, reply, 'click');
    if (!found) return reply;
    // Link-preview bots and crawlers probe with HEAD: answer without counting a click.
    if (req.method === 'HEAD') return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send();
    const { item } = await record(found, 'click', req, stringFields(req.query), null);
    // The app opened by a universal link / app link asks for the link's data instead of the redirect
    // (docs/deep-links.md): the click is recorded all the same.
    if (wantsJson(req.headers.accept)) {
      return reply.header('cache-control', 'no-store').send({
        link_id: found.link.id,
        click_id: item.click_id,
        is_retargeting: found.link.is_retargeting,
        deep_link: found.link.deep_link,
      });
    }
    const target = clickDestination(found, item.platform, item.click_id);
    if (!target) return page(reply, 404, 'This link has no destination for your device.');
    return reply.code(302).header('cache-control', 'no-store').header('location', target).send();
  });

  app.get<{ Params: { link_id: string } }>('/i/:link_id', async (req, reply) => {
    const found = await publicLink(req, reply, 'impression');
    if (!found) return reply;
    const fields = stringFields(req.query);
    if (req.method === 'HEAD') return reply.code(204).header('cache-control', 'no-store').send();
    await record(found, 'impression', req, fields, null);
    reply.header('cache-control', 'no-store');
    return fields.format === 'gif' ? reply.code(200).type('image/gif').send(GIF) : reply.code(204).send();
  });

  for (const touch of ['click', 'impression'] as const) {
    app.post(`/v1/${touch}s`, async (req, reply) => {
      const key = await deps.keys.resolve(presentedKey(req, null) ?? '');
      if (key?.kind !== 'server') {
        refused(touch, 'invalid_key');
        throw unauthorized(
          'invalid_api_key',
          'Server-to-server touches need the app\u2019s server key (Authorization: Bearer or X-Api-Key).',
        );
      }
      const fields = stringFields(req.body);
      const linkId = fields.link_id ?? '';
      const found = isLinkId(linkId) ? await deps.links.get(linkId) : null;
      if (!found || found.app.id !== key.app_id) {
        refused(touch, 'unknown_link');
        throw notFound('No such link in this app.');
      }
      if (!found.link.enabled) {
        refused(touch, 'link_disabled');
        throw new AppError(410, 'link_disabled', 'This link is disabled; enable it to record touches.');
      }
      let ts: number | undefined;
      try {
        if (!fields.ip)
          throw badRequest('missing_field', '`ip` is required: the address of the user who clicked or saw the ad.', { field: 'ip' });
        ts = s2sTimestamp(fields.timestamp);
      } catch (err) {
        refused(touch, 'invalid_input');
        throw err;
      }
      const { item, result } = await record(found, touch, req, fields, { ts });
      return reply.code(202).send({ ...result, click_id: item.click_id });
    });
  }
}

/**
 * Our id for a touch. A network that reports the same click twice (a retry) sends the same
 * `click_id`: the id is derived from it, so the second report is a duplicate, not a second click.
 * Keyed (server-to-server) and anonymous (public URL) touches derive from separate id spaces:
 * otherwise whoever guessed a network's click id first on the public URL would own that click
 * and the network's own report would be dropped as its duplicate.
 */
function clickIdFor(found: ClickLink, touch: TouchItem['touch'], networkClickId: string | undefined, keyed: boolean): string {
  const prefix = touch === 'click' ? 'clk' : 'imp';
  if (!networkClickId) return `${prefix}_${randomBase62(22)}`;
  // The keyed space keeps the original derivation, so a network's retry across an upgrade still dedupes.
  const space = keyed ? '' : '\u0000public';
  // One-shot `hash` (Node 20.12+): the same digest as createHash().update().digest() without a
  // Hash object per click (sha-256 was 3.4% of a click's main thread, docs/benchmarks.md).
  const digest = hash('sha256', `${found.link.id}\u0000${touch}\u0000${networkClickId}${space}`, 'base64url');
  return `${prefix}_${digest.slice(0, 22)}`;
}

/** Browsers send text/html first; an SDK resolving a link sends only application/json. */
function wantsJson(accept: string | undefined): boolean {
  const value = accept ?? '';
  return value.includes('application/json') && !value.includes('text/html');
}

function s2sTimestamp(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ts = /^\d+$/.test(raw) ? Number(raw) * (raw.length <= 10 ? 1000 : 1) : parseIsoTimestamp(raw);
  const now = Date.now();
  if (!Number.isFinite(ts))
    throw badRequest('invalid_timestamp', '`timestamp` must be ISO-8601 or epoch seconds/milliseconds.', { field: 'timestamp' });
  if (ts > now + MAX_S2S_FUTURE_MS || ts < now - MAX_S2S_AGE_MS) {
    throw badRequest('timestamp_out_of_range', '`timestamp` must lie within the last 30 days and not in the future.', {
      field: 'timestamp',
    });
  }
  return ts;
}
