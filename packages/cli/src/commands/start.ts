import { loadConfig } from '@unmogrowp/config';
import { createLogger, startRoles } from '@unmogrowp/server';
import { prepareControlStore } from '@unmogrowp/storage';

const SHUTDOWN_BUDGET_MS = 9_000;

export async function startCommand(_positional: string[], flags: Record<string, string>) {
  const config = loadConfig(process.env, flags);
  const logger = createLogger(config.logLevel);
  // A first start's initdb runs in a child, so its memory is not held for the server's lifetime.
  await prepareControlStore(config);
  const platform = await startRoles(config, logger);
  logger.info(
    { roles: platform.roles, ingest: platform.ingestUrl, api: platform.apiUrl, worker: platform.workerUrl, dataDir: config.dataDir },
    'UnMoGrowP is running',
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // API.md §5: exit within 10 s whatever happens; acknowledged events are in the log anyway.
    setTimeout(() => process.exit(1), SHUTDOWN_BUDGET_MS + 800).unref();
    platform.close(SHUTDOWN_BUDGET_MS).then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
