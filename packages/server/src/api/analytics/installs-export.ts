import { Readable } from 'node:stream';
import type { InstallExportRow } from '@unmogrowp/storage';
import type { ExportFormat } from './analytics-query.ts';
import { csvLine } from './csv-cells.ts';

/** docs/api.md §4's installs row, in its order: the CSV header and column order. */
export const INSTALL_COLUMNS = [
  'install_id',
  'device_id',
  'advertising_id',
  'installed_at',
  'status',
  'match_type',
  'media_source',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'link_id',
  'click_id',
  'network_click_id',
  'touch_at',
  'ctit_seconds',
  'fraud_reason',
  'is_reattribution',
] as const satisfies readonly (keyof InstallExportRow)[];

interface Encoder {
  contentType: string;
  begin: string;
  chunk(rows: readonly InstallExportRow[], first: boolean): string;
  end: string;
}

/** JSON: one array document, written a chunk at a time; CSV: a header row, then one line per install. */
export const ENCODERS: Record<ExportFormat, Encoder> = {
  json: {
    contentType: 'application/json; charset=utf-8',
    begin: '[',
    chunk: (rows, first) => (first ? '' : ',') + rows.map((r) => JSON.stringify(r)).join(','),
    end: ']\n',
  },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    begin: csvLine(INSTALL_COLUMNS),
    chunk: (rows) => rows.map((r) => csvLine(INSTALL_COLUMNS.map((c) => r[c]))).join(''),
    end: '',
  },
};

/**
 * The export as a byte stream pulled chunk by chunk from the store's iterator (a slow client
 * slows the queries down instead of filling memory; a client that leaves ends the iterator).
 * The first chunk is read before anything is sent, so a store that cannot answer still gets a
 * proper error status; a failure later cuts the stream, which the client sees as an incomplete
 * document (no closing `]`, or a CSV without its last lines) rather than a quietly short one.
 */
export async function installsStream(source: AsyncIterable<InstallExportRow[]>, format: ExportFormat): Promise<Readable> {
  const encoder = ENCODERS[format];
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  async function* bytes(): AsyncGenerator<string> {
    let first = true;
    try {
      yield encoder.begin;
      for (let step = head; !step.done; step = await iterator.next()) {
        if (step.value.length === 0) continue;
        yield encoder.chunk(step.value, first);
        first = false;
      }
      yield encoder.end;
    } finally {
      await iterator.return?.();
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}
