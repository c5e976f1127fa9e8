import { attributionSettingsOf, dropPostbacksBefore, type EventStore, listApps, type SqlDb } from '@unmogrowp/storage';
import type { Logger } from 'pino';

const DAY = 86_400_000;

export interface RetentionJobDeps {
  control: SqlDb;
  events: EventStore;
  logger: Logger;
  /** How often the job runs (default hourly). */
  intervalMs?: number;
  /** The first run, after start-up has settled (default 1 minute). */
  firstRunMs?: number;
  now?: () => number;
}

/**
 * Data minimisation on a schedule (docs/privacy.md): full IPs cut to prefixes once no rule needs
 * them, and each app's `retention_days` applied to the event store and the postback outbox.
 * Each step is idempotent, so a run cut short by a restart is simply done again next time.
 */
export function startRetentionJobs(deps: RetentionJobDeps): { runNow(): Promise<void>; stop(): Promise<void> } {
  const now = deps.now ?? Date.now;
  let running: Promise<void> | null = null;
  const run = async () => {
    const at = now();
    await deps.events.minimiseIps(at);
    for (const app of await listApps(deps.control)) {
      const days = attributionSettingsOf(app.settings).retention_days;
      const cutoff = at - days * DAY;
      const stored = await deps.events.dropOlderThan(app.id, cutoff);
      const postbacks = await dropPostbacksBefore(deps.control, app.id, new Date(cutoff));
      const dropped = Object.values(stored).reduce((a, b) => a + b, 0) + postbacks;
      if (dropped > 0) deps.logger.info({ app_id: app.id, retention_days: days, ...stored, postbacks }, 'retention dropped old rows');
    }
  };
  const runNow = () => {
    running ??= run()
      .catch((err) => deps.logger.error({ err }, 'retention job failed; it runs again at the next interval'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const first = setTimeout(() => void runNow(), deps.firstRunMs ?? 60_000).unref();
  const timer = setInterval(() => void runNow(), deps.intervalMs ?? 3_600_000).unref();
  return {
    runNow,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
