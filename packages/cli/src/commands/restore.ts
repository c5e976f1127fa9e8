import { restoreDataDir } from '@unmogrowp/server';
import { takeFlags } from '../args.ts';

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
