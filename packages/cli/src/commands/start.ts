import { loadConfig } from '@unmogrowp/config';
import { createLogger, startRoles } from '@unmogrowp/server';
import { prepareControlStore } from '@unmogrowp/storage';
import { type CommandHelp, configOptionsHelp } from '../command.ts';

export const startHelp: CommandHelp = {
  summary: 'run the platform (ingest, API, dashboard, worker) until SIGTERM',
  get help() {
    return `usage: unmogrowp start [options]

Runs the roles chosen by --role (default all) in this process. Logs are JSON lines on stdout;
one plain line names the dashboard's address once it listens. SIGTERM or SIGINT stops accepting,
stores what was acknowledged and exits within 10 seconds.

${configOptionsHelp()}

Examples:
  unmogrowp start
  API_PORT=4000 INGEST_PORT=9000 unmogrowp start
  unmogrowp start --role api --database-url postgres://…`;
  },
};

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
  // One line a person reads among the JSON logs: where to open the dashboard (roles serving it only).
  process.stdout.write(`${runningLine(platform)}\n`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    // docs/api.md §5: exit within 10 s whatever happens; acknowledged events are in the log anyway.
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

/** `UnMoGrowP is running. Dashboard: http://127.0.0.1:3003/  (ingest: …)`, naming only the listeners this process has. */
export function runningLine(running: { roles: readonly string[]; apiUrl?: string; ingestUrl?: string; workerUrl?: string }): string {
  const parts = [
    running.apiUrl ? `Dashboard: ${browsable(running.apiUrl)}/` : null,
    running.ingestUrl ? `ingest: ${browsable(running.ingestUrl)}` : null,
    running.workerUrl ? `worker: ${browsable(running.workerUrl)}` : null,
  ].filter(Boolean);
  return `UnMoGrowP is running (${running.roles.join(', ')}). ${parts.join('  ')}`;
}

/** A wildcard bind address (0.0.0.0, ::) is not something a browser can open: show loopback instead. */
export function browsable(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//127.0.0.1:');
}
