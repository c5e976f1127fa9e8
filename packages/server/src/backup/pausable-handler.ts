import type { LogRecord, RecordsHandler } from '@unmogrowp/pipeline';

/**
 * The pipeline's log handler with a pause: `pause()` resolves once the batch in flight (if any)
 * is stored, and holds the next one until `resume()`. A backup pauses it so the event store does
 * not change while it is copied; ingest keeps accepting into the log meanwhile.
 */
export function pausable(handler: RecordsHandler) {
  let inFlight: Promise<void> = Promise.resolve();
  let paused: { resumed: Promise<void>; resume: () => void } | null = null;
  const wrapped: RecordsHandler = async (records: LogRecord[]) => {
    while (paused) await paused.resumed;
    const run = handler(records);
    inFlight = run.then(
      () => {},
      () => {},
    );
    return run;
  };
  return {
    handler: wrapped,
    async pause(): Promise<() => void> {
      while (paused) await paused.resumed; // one pause at a time
      let resume!: () => void;
      const resumed = new Promise<void>((r) => (resume = r));
      const mine = { resumed, resume };
      paused = mine;
      await inFlight;
      return () => {
        if (paused === mine) paused = null;
        mine.resume();
      };
    },
  };
}
