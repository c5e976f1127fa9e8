import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files of the scheduled export, written so a reader never sees half of one: the bytes go to a
 * hidden temporary file beside the target, are flushed to disk, then renamed over the target
 * (atomic on one file system). A crash leaves at most a temporary file, which the next run
 * removes before writing again. Directories are 0700 and files 0600: they hold device ids.
 */

const TEMP_PREFIX = '.partial-';

export async function writeAtomically(target: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${path.basename(target)}`);
  const file = await open(temp, 'wx', 0o600);
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      await file.write(chunk);
      bytes += chunk.length;
    }
    await file.sync();
  } catch (err) {
    await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
  await file.close();
  await rename(temp, target);
  // The rename itself is durable once the directory is flushed.
  const handle = await open(dir, 'r');
  await handle.sync().finally(() => handle.close());
  return bytes;
}

/** Names in `dir` (none when it does not exist). */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Removes temporary files a crashed run left in `dir`. */
export async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await listNames(dir)) {
    if (name.startsWith(TEMP_PREFIX)) await rm(path.join(dir, name), { force: true });
  }
}
