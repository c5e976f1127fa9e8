import { describe, expect, it } from 'vitest';
import { exportFileName, parseExportTable, parseRawExportFormat } from '../../src/api/analytics/raw-export.ts';
import { AppError } from '../../src/http/app-error.ts';

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('raw export query', () => {
  it('table is required and one of the four', () => {
    expect(parseExportTable('clicks')).toBe('clicks');
    expect(refusal(() => parseExportTable(undefined)).body().error).toMatchObject({
      code: 'missing_parameter',
      details: { field: 'table' },
    });
    expect(refusal(() => parseExportTable('identities')).body().error).toMatchObject({
      code: 'invalid_table',
      details: { field: 'table', value: 'identities', allowed: ['events', 'installs', 'clicks', 'impressions'] },
    });
  });

  it('format defaults to parquet', () => {
    expect(parseRawExportFormat(undefined)).toBe('parquet');
    expect(parseRawExportFormat('ndjson')).toBe('ndjson');
    expect(refusal(() => parseRawExportFormat('json')).status).toBe(400);
  });

  it('names the file after the table, the app and the range days', () => {
    const range = { from: Date.parse('2026-06-01T00:00:00Z'), to: Date.parse('2026-06-08T00:00:00Z') };
    expect(exportFileName('events', 'app_1', range, 'csv')).toBe('events-app_1-2026-06-01-2026-06-08.csv');
  });
});
