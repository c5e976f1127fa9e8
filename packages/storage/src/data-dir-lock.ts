import { readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Embedded PGlite and chDB each corrupt data when two processes open one directory, so the
 * directory is owned by one process at a time. The lock file names its owner by pid *and* the
 * process's start time and the machine's boot id, because a pid alone is fooled twice: a
 * killed process stays a zombie (its pid still answers signals) until its parent reaps it,
 * and after a reboot or long enough, the pid belongs to someone else. Without /proc (not
 * Linux) it falls back to asking whether the pid answers.
 */
export interface LockOwner {
  pid: number;
  /** clock ticks since boot when the process started (field 22 of /proc/<pid>/stat) */
  start: string | null;
  boot: string | null;
}

export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await secureDataDir(dir);
  const file = path.join(dir, 'unmogrowp.pid');
  const me = currentOwner();
  const text = JSON.stringify(me);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, text, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const owner = parseOwner(await readFile(file, 'utf8').catch(() => ''));
      if (owner && owner.pid !== process.pid && ownerIsRunning(owner)) {
        throw new Error(`DATA_DIR: ${dir} is in use by process ${owner.pid} (a running server?); stop it first, or use the HTTP API`);
      }
      // Stale: move it aside atomically, so two starters racing for it cannot both delete and win.
      await rename(file, `${file}.stale.${process.pid}`)
        .then(() => unlink(`${file}.stale.${process.pid}`))
        .catch(() => {});
    }
  }
  return async () => {
    const owner = parseOwner(await readFile(file, 'utf8').catch(() => ''));
    if (owner?.pid === process.pid && owner.start === me.start) await unlink(file).catch(() => {});
  };
}

export function currentOwner(pid = process.pid): LockOwner {
  return { pid, start: processStart(pid), boot: bootId() };
}

/** True when the process that wrote the lock is still running (not gone, not a zombie, not a reused pid). */
export function ownerIsRunning(owner: LockOwner): boolean {
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return false; // written before a reboot
  const stat = procStat(owner.pid);
  if (stat === undefined) return pidAnswers(owner.pid); // no /proc: the best we can do
  if (stat === null) return false; // no such process
  if (stat.state === 'Z' || stat.state === 'X') return false; // killed, not yet reaped
  return owner.start === null || stat.start === owner.start;
}

function parseOwner(text: string): LockOwner | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), start: null, boot: null }; // older versions wrote the bare pid
  try {
    const o = JSON.parse(trimmed) as Partial<LockOwner>;
    return Number.isSafeInteger(o.pid) ? { pid: o.pid!, start: o.start ?? null, boot: o.boot ?? null } : null;
  } catch {
    return null;
  }
}

/** undefined: /proc is not there; null: no such process. */
function procStat(pid: number): { state: string; start: string } | null | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return procAvailable() ? null : undefined;
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces or ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, start: fields[19]! };
}

function processStart(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

let procChecked: boolean | undefined;
function procAvailable(): boolean {
  if (procChecked === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procChecked = true;
    } catch {
      procChecked = false;
    }
  }
  return procChecked;
}

let boot: string | null | undefined;
function bootId(): string | null {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      boot = null;
    }
  }
  return boot;
}

function pidAnswers(pid: number): boolean {
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
