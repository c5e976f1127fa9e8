import { chmod, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Embedded PGlite and chDB each corrupt data when two processes open one directory, so the
 * directory is owned by one process at a time: a pid file, taken over when its process is gone
 * (after a crash or kill -9).
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await secureDataDir(dir);
  const file = path.join(dir, 'unmogrowp.pid');
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`DATA_DIR: ${dir} is in use by process ${owner} (a running server?); stop it first, or use the HTTP API`);
      }
      await unlink(file).catch(() => {});
    }
  }
  return async () => {
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (owner === process.pid) await unlink(file).catch(() => {});
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LOOSE_PERMISSION_BITS = 0o077;

/**
 * DATA_DIR holds password hashes, key hashes, the signing key and every event: it is created
 * owner-only (0700) and everything made in it afterwards is owner-only too (umask 077 for this
 * process). A directory that group or others can open is refused rather than silently fixed:
 * its contents may already have been read, which the operator should know.
 */
export async function secureDataDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return void (await mkdir(dir, { recursive: true }));
  process.umask(0o077);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const mode = (await stat(dir)).mode;
  if ((mode & LOOSE_PERMISSION_BITS) !== 0) {
    throw new Error(
      `DATA_DIR: ${dir} is open to other users (mode ${(mode & 0o777).toString(8)}); run chmod -R go-rwx ${dir} and start again`,
    );
  }
  await tightenTree(dir);
}

/**
 * Files made before this version, or by an engine that sets its own modes (PGlite writes its
 * files 0644 whatever the umask), lose their group/other bits. Run at start and again once the
 * stores are open; the 0700 directory already keeps others out of anything made later.
 */
export async function tightenTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const full = path.join(dir, entry.name);
    const mode = (await stat(full)).mode;
    if ((mode & LOOSE_PERMISSION_BITS) !== 0) await chmod(full, mode & 0o700);
    if (entry.isDirectory()) await tightenTree(full);
  }
}
