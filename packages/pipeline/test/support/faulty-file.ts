import { type FileHandle, open } from 'node:fs/promises';

/**
 * Real file handles whose writes can be made to fail (with a real errno-style error) or to
 * hang until released: the fault a full or failing disk gives the event log, injected at the
 * one place the log touches the disk. Everything else passes through to the real handle.
 */
export class FaultyFiles {
  private failures: { code: string; count: number } | null = null;
  private gate: { wait: Promise<void>; reached: () => void } | null = null;
  writesFailed = 0;

  /**
   * The next `count` writes fail with `code` (e.g. ENOSPC, EIO), each after really writing the
   * first half of its bytes: a partial frame is on disk, as a full disk leaves it.
   */
  failNextWrites(count: number, code = 'EIO'): void {
    this.failures = { code, count };
  }

  /** The next write waits until `release` is called; `reached` resolves once it waits. */
  holdNextWrite(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const wait = new Promise<void>((r) => (release = r));
    const reachedP = new Promise<void>((r) => (reached = r));
    this.gate = { wait, reached };
    return { reached: reachedP, release };
  }

  readonly openForAppend = async (file: string): Promise<FileHandle> => {
    const real = await open(file, 'a');
    return new Proxy(real, {
      get: (target, prop, receiver) => {
        if (prop === 'write') return (...args: unknown[]) => this.write(target, args);
        if (prop === 'writev') return (buffers: Buffer[]) => this.writev(target, buffers);
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };

  /** Vectored writes (the log's group commit) meet the same faults as one buffer of their bytes. */
  private async writev(target: FileHandle, buffers: Buffer[]) {
    if (this.gate || (this.failures && this.failures.count > 0)) return this.write(target, [Buffer.concat(buffers)]);
    return target.writev(buffers);
  }

  private async write(target: FileHandle, args: unknown[]) {
    const gate = this.gate;
    if (gate) {
      this.gate = null;
      gate.reached();
      await gate.wait;
    }
    if (this.failures && this.failures.count > 0) {
      this.failures.count--;
      this.writesFailed++;
      const [buf, off = 0, len] = args as [Buffer, number?, number?];
      const length = len ?? buf.length - off;
      if (length > 1) await target.write(buf, off, Math.floor(length / 2));
      const err = new Error(`${this.failures.code}: injected write failure`) as NodeJS.ErrnoException;
      err.code = this.failures.code;
      throw err;
    }
    return (target.write as (...a: unknown[]) => Promise<{ bytesWritten: number }>)(...args);
  }
}
