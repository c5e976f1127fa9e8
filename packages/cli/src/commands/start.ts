import { loadConfig } from '@unmogrowp/config';
import { createLogger, startPlatform } from '@unmogrowp/server';

const SHUTDOWN_BUDGET_MS = 9_000;

export async function startCommand(_positional: string[], flags: Record<string, string>) {
  const config = loadConfig(process.env, flags);
  const logger = createLogger(config.logLevel);
  const platform = await startPlatform(config, logger);
  logger.info(
    { ingest: `http://${config.host}:${config.ingestPort}`, api: `http://${config.host}:${config.apiPort}`, dataDir: config.dataDir },
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
