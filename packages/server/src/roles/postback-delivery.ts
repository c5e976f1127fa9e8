import { allowedTargets, type PostbackWorker, startPostbackWorker } from '@unmogrowp/pipeline';
import type { SqlDb } from '@unmogrowp/storage';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.ts';
import type { PipelineTracer } from '../ops/pipeline-tracing.ts';

/**
 * The postback delivery loop over the control store's outbox. It runs in worker processes (and
 * in `all`) only: ingest and api processes never send postbacks. Several workers may run it at
 * once; the outbox's leases keep each attempt to one of them.
 */
export function startPostbackDelivery(
  control: SqlDb,
  metrics: Metrics,
  logger: Logger,
  tracer?: PipelineTracer,
  /** POSTBACK_ALLOWED_CIDRS */
  allowedCidrs: readonly string[] = [],
): PostbackWorker {
  return startPostbackWorker({
    db: control,
    allowed: allowedTargets(allowedCidrs),
    onAttempt: (a) => {
      metrics.postbackAttempts.labels(a.outcome).inc();
      tracer?.attempt(a);
    },
    onError: (err) => logger.error({ err }, 'postback worker failed; retrying'),
  });
}
