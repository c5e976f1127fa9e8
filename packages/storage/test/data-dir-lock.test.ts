import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentOwner, lockDataDir } from '../src/data-dir-lock.ts';

const LOCK_MODULE = path.resolve(import.meta.dirname, '../src/data-dir-lock.ts');
const tempDir = () => mkdtemp(path.join(tmpdir(), 'unmogrowp-lock-'));
// The lock tells a zombie, a reused pid and a reboot apart by /proc (start time, boot id): Linux only.
const onLinux = process.platform === 'linux';

/** A process that takes the lock and then idles; `sh` execs into `sleep`, which never reaps it. */
function lockHolderUnderNonReapingParent(dir: string) {
  const script = `import { lockDataDir } from ${JSON.stringify(LOCK_MODULE)}; await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`;
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script].map((a) => `'${a.replace(/'/g, `'\\''`)}'`);
  const sh = spawn('sh', ['-c', `${node.join(' ')} & exec sleep 60`], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
  const locked = new Promise<void>((resolve) => sh.stdout!.on('data', (d) => String(d).includes('locked') && resolve()));
  return { sh, locked };
}

async function procState(pid: number): Promise<string> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}

describe('data-directory lock', () => {
  it('refuses a second owner while the first runs, and frees on unlock', async () => {
    const dir = await tempDir();
    const unlock = await lockDataDir(dir);
    await writeFile(path.join(dir, 'unmogrowp.pid'), JSON.stringify(currentOwner(process.ppid)));
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process/);
    await writeFile(path.join(dir, 'unmogrowp.pid'), JSON.stringify(currentOwner()));
    await unlock();
    const again = await lockDataDir(dir);
    await again();
  });

  // Linux only: the zombie is told apart by its start time in /proc (CI runs on Linux, so it runs there).
  it.skipIf(!onLinux)('takes over from a process killed with -9 that is still a zombie (its pid still answers signals)', async () => {
    const dir = await tempDir();
    const holder = lockHolderUnderNonReapingParent(dir);
    try {
      await holder.locked;
      const owner = JSON.parse(await readFile(path.join(dir, 'unmogrowp.pid'), 'utf8')) as { pid: number };
      process.kill(owner.pid, 'SIGKILL');
      for (let i = 0; i < 100 && (await procState(owner.pid)) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await procState(owner.pid)).toBe('Z');
      expect(() => process.kill(owner.pid, 0)).not.toThrow(); // what fooled the pid-only lock
      const unlock = await lockDataDir(dir);
      await unlock();
    } finally {
      holder.sh.kill('SIGKILL');
    }
  });

  // Linux only: the reused pid is told apart by its start time in /proc.
  it.skipIf(!onLinux)('takes over when the recorded pid now belongs to another process (reused pid)', async () => {
    const dir = await tempDir();
    // Our parent runs, but started at another time than the owner recorded.
    const reused = { ...currentOwner(process.ppid), start: '1' };
    await writeFile(path.join(dir, 'unmogrowp.pid'), JSON.stringify(reused));
    const unlock = await lockDataDir(dir);
    await unlock();
  });

  // Linux only: the boot id comes from /proc.
  it.skipIf(!onLinux)('takes over a lock written before a reboot', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'unmogrowp.pid'), JSON.stringify({ ...currentOwner(process.ppid), boot: 'another-boot' }));
    const unlock = await lockDataDir(dir);
    await unlock();
  });

  it('reads the bare-pid lock files older versions wrote', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'unmogrowp.pid'), String(process.ppid));
    await expect(lockDataDir(dir)).rejects.toThrow(/in use/);
    await writeFile(path.join(dir, 'unmogrowp.pid'), '999999999');
    await (await lockDataDir(dir))();
  });
});
