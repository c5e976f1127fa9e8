/**
 * Runs tasks one at a time, in call order. A chDB session must not run two operations at once,
 * so each session gets one of these; a failed task does not stop the ones queued behind it.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for every earlier holder, then hands back the function that lets the next one in. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    return previous.then(() => release);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
