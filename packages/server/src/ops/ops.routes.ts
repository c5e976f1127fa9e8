import type { FastifyInstance } from 'fastify';
import { answer, ERROR_ANSWER, listOf, text, textAnswer } from '../api/answers/answer-schema.ts';
import type { Metrics } from './metrics.ts';
import type { MinuteRing } from './minute-ring.ts';

/** A named dependency /ready asks; `check` throws (or returns a reason) when it cannot serve. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<string | null | void>;
}

export interface OpsDeps {
  metrics: Metrics;
  checks: ReadinessCheck[];
  /** Refreshes gauges that are read, not counted (pipeline lag), right before a scrape. */
  beforeScrape?: () => void | Promise<void>;
  /** Per-minute ingest requests for the System screen (the ingest listener records into it). */
  traffic?: MinuteRing;
}

const CHECK_TIMEOUT_MS = 2000;

const READY = answer({ status: { type: 'string', const: 'ready' }, checks: listOf(text) });
const NOT_READY = answer({ status: { type: 'string', const: 'not_ready' }, error: ERROR_ANSWER.properties.error });

export async function opsRoutes(app: FastifyInstance, deps: OpsDeps) {
  app.get('/health', { schema: { response: { 200: answer({ status: { type: 'string', const: 'ok' } }) } } }, async () => ({
    status: 'ok',
  }));

  app.get('/ready', { schema: { response: { 200: READY, 503: NOT_READY } } }, async (_req, reply) => {
    for (const check of deps.checks) {
      const { name } = check;
      const reason = await runCheck(check);
      if (reason) {
        reply.header('retry-after', '5');
        return reply.code(503).send({
          status: 'not_ready',
          error: { code: 'dependency_unavailable', message: `${name} is not available: ${reason}`, details: { dependency: name } },
        });
      }
    }
    return { status: 'ready', checks: deps.checks.map((c) => c.name) };
  });

  const metricsText = textAnswer('text/plain', 'the Prometheus text exposition format');
  app.get('/metrics', { schema: { response: { 200: metricsText } } }, async (_req, reply) => {
    await deps.beforeScrape?.();
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}

/** The check's reason for not being ready, or null when it answered in time. */
export function runCheck({ check }: ReadinessCheck): Promise<string | null> {
  return withTimeout(Promise.resolve().then(check), CHECK_TIMEOUT_MS).then(
    (r) => r || null,
    (err: Error) => err.message,
  );
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
