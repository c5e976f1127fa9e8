import { restoreDataDir } from '@unmogrowp/server';
import { takeFlags } from '../args.ts';
import type { CommandHelp } from '../command.ts';

export const restoreHelp: CommandHelp = {
  summary: 'rebuild an installation from a backup file into an empty data directory',
  help: `usage: unmogrowp restore --from FILE --data DIR

Verifies the backup's checksum, then rebuilds the installation (control store, events, log) in
DIR, which must be empty or absent. Prints {data_dir, …} as JSON; progress goes to stderr.
Afterwards start the server with DATA_DIR=DIR: it answers the same analytics and keeps
deduplicating the ids it had seen.

  --from FILE                         the backup file written by unmogrowp backup (required)
  --data DIR                          the new data directory (required)

Example: unmogrowp restore --from backup.umb --data ./data-restored`,
};

/**
 * `unmogrowp restore --from FILE --data DIR`: verifies the backup's checksum, then rebuilds the
 * installation in DIR (empty or absent). Start the server with DATA_DIR=DIR afterwards.
 */
export async function restoreCommand(_positional: string[], flags: Record<string, string>) {
  const { '--from': from, '--data': data } = takeFlags(flags, ['--from', '--data']);
  if (!from || from === 'true') throw new Error('--from: give the backup file, e.g. --from backup.umb');
  if (!data || data === 'true') throw new Error('--data: give the (new, empty) data directory to restore into');
  let n = 0;
  const result = await restoreDataDir(from, data, () => {
    n++;
    if (n % 50 === 0) process.stderr.write(`restore: ${n} entries\n`);
  });
  process.stdout.write(`${JSON.stringify({ data_dir: data, ...result })}\n`);
  return 0;
}
