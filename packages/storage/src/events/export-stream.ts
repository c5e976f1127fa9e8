import { toMillisParam } from './event-queries.ts';
import type { TimeRange } from './event-store.ts';
import type { EventStoreTransport } from './event-store-transport.ts';
import {
  ENGINE_FORMATS,
  type ExportOptions,
  type ExportStream,
  type ExportTable,
  exportParams,
  exportSql,
  isExportFormat,
  isExportTable,
} from './table-export.ts';

/**
 * Starts one raw-data export on a transport and waits for its first chunk, so a statement the
 * engine refuses fails here (the caller can still answer with an error status) rather than in
 * the middle of a download. The rest is pulled as the consumer reads: nothing is buffered
 * beyond the chunk in hand.
 */
export async function openExport(
  transport: EventStoreTransport,
  appId: string,
  table: ExportTable,
  range: TimeRange,
  options: ExportOptions,
): Promise<ExportStream> {
  if (!isExportTable(table)) throw new RangeError(`cannot export table ${String(table)}`);
  if (!isExportFormat(options.format)) throw new RangeError(`cannot export as ${String(options.format)}`);
  const bounds = { from: toMillisParam(range.from, 'from'), to: toMillisParam(range.to, 'to') };
  const source = transport.streamBytes(
    exportSql(table, options.format),
    exportParams(appId, bounds, options),
    ENGINE_FORMATS[options.format],
  );
  const iterator = source[Symbol.asyncIterator]();
  let head: IteratorResult<Uint8Array>;
  try {
    head = await iterator.next();
  } catch (err) {
    source.cancel();
    throw err;
  }
  const stop = async (): Promise<IteratorResult<Uint8Array>> => {
    source.cancel();
    await iterator.return?.(undefined);
    return { done: true, value: undefined };
  };
  let handedOut = false;
  // A plain iterator, not a generator: its return() reaches the engine's stream even when the
  // consumer leaves before asking for the first chunk (a generator never started skips its finally).
  return {
    cancel: () => void stop(),
    [Symbol.asyncIterator]() {
      if (handedOut) throw new Error('an export stream can be read once');
      handedOut = true;
      let first = true;
      return {
        next: async () => {
          if (!first) return iterator.next();
          first = false;
          return head;
        },
        return: stop,
      };
    },
  };
}
