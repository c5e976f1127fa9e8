import { inRange } from './analytics-queries.ts';
import { RAW_SORT_KEYS } from './clickhouse-schema.ts';
import { INSTALL_SOURCE } from './rollups.ts';

/**
 * The raw-data export (docs/api.md §4 "Raw data export"): one app's rows of one table over
 * [from, to), written by the engine itself in Parquet, CSV or NDJSON and streamed as it writes
 * them. Pure: the statement is chosen among the constants here, never built from input; the
 * app, the range and the CSV formula guard are bound parameters.
 *
 * The columns are chosen, not `*`: no `app_id` (the caller asked for one app), no IP or
 * User-Agent (personal data the minimisation job cuts down, docs/privacy.md: an export is a
 * copy beyond its reach), no raw referrer or query string, no internal bookkeeping (windows
 * in force, decision times, the ingest format). Each format carries the same columns in the
 * same order; times are ISO-8601 UTC text in CSV and NDJSON and UTC timestamps in Parquet.
 */

export const EXPORT_TABLES = ['events', 'installs', 'clicks', 'impressions'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export const EXPORT_FORMATS = ['parquet', 'csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The engine's name of each format (the transports hand it to chDB or a server as is). */
export const ENGINE_FORMATS: Record<ExportFormat, EngineExportFormat> = {
  parquet: 'Parquet',
  csv: 'CSVWithNames',
  ndjson: 'JSONEachRow',
};
export type EngineExportFormat = 'Parquet' | 'CSVWithNames' | 'JSONEachRow';

/** File name extension of each format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { parquet: 'parquet', csv: 'csv', ndjson: 'ndjson' };

export interface ExportOptions {
  format: ExportFormat;
  /**
   * CSV only: an RE2 pattern; a text cell matching it is written with a leading `'`, so a
   * spreadsheet does not run it as a formula (the server passes csv-cells.ts's rule).
   */
  csvFormulaGuard?: string;
}

/** The engine's bytes of one export, in order; the first chunk has already arrived. */
export interface ExportStream extends AsyncIterable<Uint8Array> {
  /** Stops the query (a client that left); safe to call more than once. */
  cancel(): void;
}

interface Column {
  /** the exported name */
  name: string;
  /** the expression over the table's columns */
  expr: string;
  /** text the CSV formula guard applies to */
  text: boolean;
}

const text = (name: string, expr = name): Column => ({ name, expr, text: true });
const value = (name: string, expr = name): Column => ({ name, expr, text: false });

/** Organic spelled one way, as in every analytics answer. */
const EVENT_SOURCE = `if(media_source = '', 'organic', media_source)`;

const TOUCH_COLUMNS = (idName: string): Column[] => [
  text(idName, 'click_id'),
  text('link_id'),
  value('timestamp', 'ts'),
  text('advertising_id'),
  text('platform'),
  text('os_version'),
  text('media_source'),
  text('campaign'),
  text('ad_set'),
  text('ad'),
  text('site_id'),
  text('sub1'),
  text('sub2'),
  text('sub3'),
  text('sub4'),
  text('sub5'),
  text('network_click_id'),
  value('is_retargeting'),
  text('fraud_reason'),
];

interface TableSpec {
  columns: Column[];
  /** the time the range applies to */
  time: string;
  /** the table's sort key after `app_id` (clickhouse-schema.ts): the order the engine reads in */
  order: string;
}

/** A table's sort key after `app_id`: the export reads in it. */
const afterApp = (table: ExportTable) => RAW_SORT_KEYS[table].replace(/^app_id, /, '');

export const EXPORT_SPECS: Record<ExportTable, TableSpec> = {
  events: {
    time: 'ts',
    order: afterApp('events'),
    columns: [
      text('event_id'),
      text('type'),
      text('name'),
      value('timestamp', 'ts'),
      value('received_at'),
      text('device_id'),
      text('advertising_id'),
      text('user_id'),
      text('platform'),
      text('os_version'),
      text('model'),
      text('app_version'),
      text('locale'),
      value('revenue'),
      text('currency'),
      text('properties'),
      text('media_source', EVENT_SOURCE),
      text('campaign'),
      text('ad_set'),
      text('ad'),
      text('site_id'),
      text('link_id'),
    ],
  },
  // The installs route's row (docs/api.md §4), column for column.
  installs: {
    time: 'installed_at',
    order: afterApp('installs'),
    columns: [
      text('install_id'),
      text('device_id'),
      text('advertising_id'),
      value('installed_at'),
      text('status'),
      text('match_type'),
      text('media_source', INSTALL_SOURCE),
      text('campaign'),
      text('ad_set'),
      text('ad'),
      text('site_id'),
      text('link_id'),
      text('click_id'),
      text('network_click_id'),
      value('touch_at'),
      value('ctit_seconds'),
      text('fraud_reason'),
      value('is_reattribution'),
    ],
  },
  clicks: { time: 'ts', order: afterApp('clicks'), columns: TOUCH_COLUMNS('click_id') },
  impressions: { time: 'ts', order: afterApp('impressions'), columns: TOUCH_COLUMNS('impression_id') },
};

/** The exported column names of a table, in order (docs/api.md lists them). */
export function exportColumns(table: ExportTable): string[] {
  return EXPORT_SPECS[table].columns.map((c) => c.name);
}

/**
 * Settings of every export, in the statement so chDB and a server apply the same ones:
 * - column names win over the aliases that reuse them (`… AS media_source` reads the column);
 * - times as ISO-8601 (`2026-06-01T10:00:00.000Z`), CSV as RFC 4180 (CRLF, empty cell for null);
 * - Parquet with text columns as UTF-8 strings, Snappy (what every Parquet reader reads), and
 *   row groups small enough that the writer never holds more than a few MB before sending;
 * - read in sort-key order: rows leave the engine as they are read, whatever the volume.
 */
const SETTINGS = `SETTINGS
  prefer_column_name_to_alias = 1,
  date_time_output_format = 'iso',
  output_format_csv_crlf_end_of_line = 1,
  format_csv_null_representation = '',
  output_format_parquet_string_as_string = 1,
  output_format_parquet_compression_method = 'snappy',
  output_format_parquet_row_group_size = 65536,
  output_format_parquet_row_group_size_bytes = 16777216,
  optimize_read_in_order = 1`;

function guarded(column: Column, csv: boolean): string {
  if (!csv || !column.text) return `${column.expr} AS ${column.name}`;
  const cell = `toString(${column.expr})`;
  return `if(match(${cell}, {guard:String}), concat('''', ${cell}), ${cell}) AS ${column.name}`;
}

/**
 * The statement of one export (without `FORMAT`: the transport names the format). Ordered by
 * the table's own sort key, so UTC hours (and so days) come in order and the engine streams
 * rows as it reads them from its sorted parts: ordering by time within an hour would make it
 * hold a whole hour before the first row. Within an hour the order is the storage order (events
 * by name and device, installs by media source and device, touches by media source and link);
 * sort on the time column where time order matters.
 */
export function exportSql(table: ExportTable, format: ExportFormat): string {
  const spec = EXPORT_SPECS[table];
  const csv = format === 'csv';
  return `SELECT ${spec.columns.map((c) => guarded(c, csv)).join(', ')}
FROM ${table}
WHERE app_id = {app:String} AND ${inRange(spec.time)}
ORDER BY ${spec.order}
${SETTINGS}`;
}

/** Matches nothing: the guard parameter when no CSV guard is asked for. */
const NO_GUARD = 'a^';

/** The bound parameters of `exportSql`. */
export function exportParams(appId: string, range: { from: number; to: number }, options: ExportOptions): Record<string, unknown> {
  return {
    app: appId,
    from: range.from,
    to: range.to,
    ...(options.format === 'csv' ? { guard: options.csvFormulaGuard ?? NO_GUARD } : {}),
  };
}

export function isExportTable(value: string): value is ExportTable {
  return (EXPORT_TABLES as readonly string[]).includes(value);
}

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}
