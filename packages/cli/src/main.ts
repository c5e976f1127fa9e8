import { ConfigError } from '@unmogrowp/config';
import { parseArgs } from './args.ts';
import { appCommand } from './commands/app.ts';
import { demoCommand } from './commands/demo.ts';
import { devClickHouseCommand } from './commands/dev-clickhouse.ts';
import { migrateCommand } from './commands/migrate.ts';
import { startCommand } from './commands/start.ts';
import { verifyAuditCommand } from './commands/verify-audit.ts';

const USAGE = `usage: unmogrowp <command>
  start [--role all] [--ingest-port N] [--api-port N] [--data-dir DIR] …   run the platform
  migrate                                                                 apply control-store migrations
  app create --name NAME --platforms ios,android[,web] [--json]           create an app (server stopped or running on PostgreSQL)
  verify-audit                                                            check the audit trail's hash chain; exit 1 naming the first bad entry
  dev-clickhouse --port 8123 --data DIR [--host 127.0.0.1]                   ClickHouse-HTTP stand-in over chDB (development and tests only)
  demo [--days 30] [--scale 300] [--seed 42] [--email E --password P] [--json]   fill a running server with a realistic month (README "Demo data")
Configuration: every variable of API.md §0 (INGEST_PORT, DATA_DIR, …) as environment or as --flag.`;

const COMMANDS: Record<string, (positional: string[], flags: Record<string, string>) => Promise<number | void>> = {
  start: startCommand,
  migrate: migrateCommand,
  app: appCommand,
  'verify-audit': verifyAuditCommand,
  demo: demoCommand,
  'dev-clickhouse': devClickHouseCommand,
};

async function main(): Promise<number> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const [command = '', ...rest] = positional;
  const run = COMMANDS[command];
  if (!run || flags['--help']) {
    process.stderr.write(`${USAGE}\n`);
    return command === '' || flags['--help'] ? 0 : 2;
  }
  return (await run(rest, flags)) ?? 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err) => {
    // One line naming the problem (API.md §0); the stack only helps us, not the operator.
    process.stderr.write(`unmogrowp: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
    process.exit(1);
  },
);
