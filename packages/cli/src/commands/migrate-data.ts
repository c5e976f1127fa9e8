import { ConfigError, loadConfig } from '@unmogrowp/config';
import { migrateData } from '@unmogrowp/pipeline';
import { type CommandHelp, configOptionsHelp } from '../command.ts';
import { progressBar } from '../progress-bar.ts';

export const migrateDataHelp: CommandHelp = {
  summary: 'copy a stopped embedded installation into PostgreSQL, ClickHouse and Redis',
  get help() {
    return `usage: unmogrowp migrate-data --from DATA_DIR [options]

Copies the control data, events, touches, installs, postback outbox and the attribution state of
a stopped embedded installation into the services named by DATABASE_URL, CLICKHOUSE_URL and
REDIS_URL (REDIS_PREFIX applies). Safe to run again: a second run converges to the same data.
Progress goes to stderr, a JSON summary to stdout.

  --from DATA_DIR                    the embedded installation's data directory (required)

${configOptionsHelp()}

Example:
  DATABASE_URL=postgres://… CLICKHOUSE_URL=http://… REDIS_URL=redis://… unmogrowp migrate-data --from ./data`;
  },
};

/**
 * `unmogrowp migrate-data --from <DATA_DIR>`: copies a stopped embedded installation into the
 * scale-out services named by DATABASE_URL, CLICKHOUSE_URL and REDIS_URL (REDIS_PREFIX applies).
 * Progress on stderr, a JSON summary on stdout. Safe to run again: it converges to the same data.
 */
export async function migrateDataCommand(_positional: string[], flags: Record<string, string>) {
  const { '--from': from, ...rest } = flags;
  if (!from) throw new ConfigError('--from', 'the DATA_DIR of the embedded installation to copy is required (--from ./data)');
  // Checked as the api role is (DATABASE_URL and CLICKHOUSE_URL required, every variable
  // validated), without asking for NATS_URL, which migrate-data never uses; Redis is checked here.
  const config = loadConfig({ ...process.env, ROLE: 'api' }, rest);
  if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'migrate-data copies the attribution state into Redis; set it');
  const bar = progressBar();
  try {
    const result = await migrateData({
      fromDir: from,
      databaseUrl: config.databaseUrl!,
      clickhouseUrl: config.clickhouseUrl!,
      redisUrl: config.redisUrl,
      redisPrefix: config.redisPrefix,
      dedupeDays: config.dedupeDays,
      onProgress: (p) => bar.update(p),
    });
    bar.done();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (err) {
    bar.done();
    throw err;
  }
}
