import { EXPORT_FORMATS, EXPORT_TABLES, type ExportFormat, type ExportTable } from '@unmogrowp/storage';
import { badRequest } from '../../http/app-error.ts';

/**
 * The raw-data export's query (`table`, `format`) and answer headers (docs/api.md §4 "Raw data
 * export"). Pure: each refusal is a 400 naming the parameter and the values allowed.
 */

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  // Registered with IANA in 2024; already compressed (Snappy), so the API's compression leaves it alone.
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** The answer as declared for the OpenAPI document and the answer checks: one file in the asked format. */
export const RAW_EXPORT_ANSWER = {
  content: {
    [EXPORT_CONTENT_TYPES.parquet]: {
      schema: { type: 'string', contentMediaType: EXPORT_CONTENT_TYPES.parquet, description: 'a Parquet file' },
    },
    'text/csv': { schema: { type: 'string', description: 'a header row, then one line per row (RFC 4180)' } },
    'application/x-ndjson': { schema: { type: 'string', description: 'one JSON object per line' } },
  },
};

/** `table` is required: there is no table a caller would mean by default. */
export function parseExportTable(value: string | undefined): ExportTable {
  if (value === undefined) {
    throw badRequest('missing_parameter', `Say which table to export: \`table\` is one of ${EXPORT_TABLES.join(', ')}.`, {
      field: 'table',
      allowed: EXPORT_TABLES,
    });
  }
  return oneOf('table', value, EXPORT_TABLES);
}

/** Default `parquet`, the engine's own columnar file. */
export function parseRawExportFormat(value: string | undefined): ExportFormat {
  return value === undefined ? 'parquet' : oneOf('format', value, EXPORT_FORMATS);
}

/** `attachment; filename="installs-<app>-2026-06-01-2026-06-08.parquet"` (the range's UTC days, `to` exclusive). */
export function exportFileName(table: ExportTable, appId: string, range: { from: number; to: number }, format: ExportFormat): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${table}-${appId}-${day(range.from)}-${day(range.to)}.${format}`;
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw badRequest(`invalid_${field}`, `\`${field}\` cannot be ${JSON.stringify(value)}; use ${allowed.join(', ')}.`, {
      field,
      value,
      allowed,
    });
  }
  return value as T;
}

const instant = { type: 'string', minLength: 1, maxLength: 40 };

/** Closed, like every analytics query: an unknown parameter is a 400 naming it. */
export const RAW_EXPORT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    table: { type: 'string', minLength: 1, maxLength: 40, description: `required: ${EXPORT_TABLES.join(' | ')}` },
    format: { type: 'string', minLength: 1, maxLength: 40, description: `${EXPORT_FORMATS.join(' | ')} (default parquet)` },
    from: instant,
    to: instant,
  },
};
