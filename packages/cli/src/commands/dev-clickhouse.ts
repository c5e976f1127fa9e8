import path from 'node:path';
import { takeFlags } from '../args.ts';
import type { CommandHelp } from '../command.ts';

export const devClickHouseHelp: CommandHelp = {
  summary: 'a ClickHouse-HTTP stand-in over chDB (development and tests only)',
  help: `usage: unmogrowp dev-clickhouse --data DIR [--port 8123] [--host 127.0.0.1]

Serves the ClickHouse HTTP interface over an embedded chDB database, for development and tests;
never for production (no authentication, no replication). Prints one line once it listens and
runs until SIGINT or SIGTERM.

  --data DIR             directory of the database (required)
  --port N               port to listen on (default 8123; 0 picks a free one)
  --host H               address to listen on (default 127.0.0.1)`,
};

/**
 * `unmogrowp dev-clickhouse --port P --data DIR [--host H]`: the ClickHouse-HTTP stand-in over
 * chDB, for development and tests (never production: no authentication, no replication). Prints
 * one line once it listens, runs until SIGINT/SIGTERM, then lets running statements finish and
 * releases the data directory.
 */
export async function devClickHouseCommand(_positional: string[], flags: Record<string, string>): Promise<number> {
  const own = takeFlags(flags, ['--port', '--data', '--host']);
  const unknown = Object.keys(flags);
  if (unknown.length > 0) throw new Error(`dev-clickhouse does not take ${unknown.join(', ')} (it takes --port, --data, --host)`);
  const port = Number(own['--port'] ?? '8123');
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be a port number (0 picks a free one), got ${own['--port']}`);
  if (!own['--data'] || own['--data'] === 'true')
    throw new Error('dev-clickhouse needs --data DIR: the directory chDB keeps its tables in');
  const dataDir = path.resolve(own['--data']);
  const host = own['--host'] ?? '127.0.0.1';
  // Loaded only here: the scale-out roles never load chDB.
  const { startDevClickHouse } = await import('@unmogrowp/storage/dev-clickhouse');
  const standIn = await startDevClickHouse({ dataDir, port, host });
  process.stdout.write(
    `dev-clickhouse listening on ${standIn.url} (chDB ${standIn.version}, data ${dataDir}): a ClickHouse stand-in for development and tests, not for production\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await standIn.close();
  return 0;
}
