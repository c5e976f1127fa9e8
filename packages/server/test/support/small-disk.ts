import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A small tmpfs mounted for one test, so `DATA_DIR` can really run out of space (ENOSPC from
 * the kernel, not a mock). Mounting needs root (CAP_SYS_ADMIN); without it the test skips,
 * unless REQUIRE_SERVICES=1 (CI), where it must fail.
 */
export async function mountSmallDisk(sizeMb: number): Promise<{ dir: string; unmount: () => Promise<void> } | { skip: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-small-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  } catch (err) {
    await rmdir(dir).catch(() => {});
    const reason = `cannot mount a tmpfs for the full-disk test (${(err as Error).message.split('\n')[0]}); run as root to include it`;
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(reason);
    return { skip: reason };
  }
  return {
    dir,
    unmount: async () => {
      await run('umount', ['-l', dir]).catch(() => {});
      await rmdir(dir).catch(() => {});
    },
  };
}

/** Fills the filesystem holding `dir` until the kernel refuses a single byte more. */
export async function fillDisk(dir: string): Promise<{ file: string; bytes: number; free: () => Promise<void> }> {
  const file = path.join(dir, 'filler');
  const fh = await open(file, 'w');
  let bytes = 0;
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 7);
      for (;;) {
        try {
          bytes += (await fh.write(chunk)).bytesWritten;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    await fh.close();
  }
  return { file, bytes, free: () => rm(file, { force: true }) };
}
