import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A cgroup v1 memory group with a limit, the way a container runtime makes one: what is started
 * in it (and every child it forks) is charged to it, and when it reaches the limit the kernel
 * first reclaims clean page cache (file pages, including mapped code) and then kills a process
 * of the group. Linux, root, cgroup v1 memory controller only.
 */
export interface MemoryCgroup {
  readonly path: string;
  /** `cmd args` started through a shell that joins the group first, then execs (same PID). */
  wrap(cmd: string, args: readonly string[]): { cmd: string; args: string[] };
  sample(): MemorySample;
  /** Resets the kernel's high-water mark, so each phase of a bench gets its own peak. */
  resetPeak(): void;
  /** Removes the group; call once its processes have exited (retries while the kernel lets go). */
  remove(): Promise<void>;
}

export interface MemorySample {
  usage_mb: number;
  /** The kernel's high-water mark of usage since creation or the last resetPeak(). */
  max_usage_mb: number;
  /** Anonymous memory (heaps, WebAssembly memory): cannot be reclaimed without swap. */
  rss_mb: number;
  /** Page cache: file pages, mapped code, written files, shared memory. */
  cache_mb: number;
  /** The part of cache mapped into a process (chDB's library, node itself). */
  mapped_file_mb: number;
  shmem_mb: number;
  /** How often usage hit the limit (and the kernel had to reclaim). */
  failcnt: number;
  /** Pages read back from disk after being dropped: code evicted under pressure shows here. */
  pgmajfault: number;
  oom_kills: number;
}

const ROOT = '/sys/fs/cgroup/memory';
const mb = (bytes: number) => Math.round(bytes / 1048576);

/** This process's own memory group (nesting under it keeps any limit set above us in force). */
export function ownMemoryCgroup(): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1]?.split(',').includes('memory'));
  return path.join(ROOT, line?.split(':')[2] ?? '/');
}

export function createMemoryCgroup(name: string, limitMb: number, parent = process.env.CGROUP_PARENT ?? ownMemoryCgroup()): MemoryCgroup {
  if (!existsSync(path.join(ROOT, 'memory.limit_in_bytes'))) throw new Error(`no cgroup v1 memory controller at ${ROOT}`);
  const dir = path.join(parent, name);
  mkdirSync(dir);
  const file = (f: string) => path.join(dir, f);
  try {
    writeFileSync(file('memory.limit_in_bytes'), String(limitMb * 1048576));
    // No swap here; set anyway so a machine with swap does not quietly page anonymous memory out.
    try {
      writeFileSync(file('memory.swappiness'), '0');
    } catch {}
  } catch (err) {
    rmdirSync(dir);
    throw err;
  }
  const stat = () => {
    const out: Record<string, number> = {};
    for (const line of readFileSync(file('memory.stat'), 'utf8').split('\n')) {
      const [k, v] = line.split(' ');
      if (k) out[k] = Number(v);
    }
    return out;
  };
  const num = (f: string) => Number(readFileSync(file(f), 'utf8').trim());
  return {
    path: dir,
    wrap: (cmd, args) => ({
      cmd: '/bin/sh',
      args: ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir, cmd, ...args],
    }),
    sample() {
      const s = stat();
      const oom = /oom_kill (\d+)/.exec(readFileSync(file('memory.oom_control'), 'utf8'))?.[1];
      return {
        usage_mb: mb(num('memory.usage_in_bytes')),
        max_usage_mb: mb(num('memory.max_usage_in_bytes')),
        rss_mb: mb(s.rss ?? 0),
        cache_mb: mb(s.cache ?? 0),
        mapped_file_mb: mb(s.mapped_file ?? 0),
        shmem_mb: mb(s.shmem ?? 0),
        failcnt: num('memory.failcnt'),
        pgmajfault: s.pgmajfault ?? 0,
        oom_kills: Number(oom ?? 0),
      };
    },
    resetPeak: () => writeFileSync(file('memory.max_usage_in_bytes'), '0'),
    async remove() {
      for (let attempt = 0; ; attempt++) {
        try {
          rmdirSync(dir);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          if (attempt >= 50) throw new Error(`cannot remove ${dir}: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
  };
}
