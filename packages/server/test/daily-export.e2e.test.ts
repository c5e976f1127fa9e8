import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportColumns, updateApp } from '@unmogrowp/storage';
import { parquetReadObjects } from 'hyparquet';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/api/costs/csv-records.ts';
import { startDailyExports } from '../src/exports/daily-export-job.ts';
import { loadFixture } from './support/analytics-fixture.ts';
import { startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

/**
 * The scheduled raw-data export (`EXPORT_DIR`, `EXPORT_FORMAT`) run "now" with an injected clock
 * against the platform's real stores: yesterday's UTC day per app, one file per table, read back
 * and compared with the API's export of the same day; a restart does not rewrite a finished day
 * and catches up the days it missed.
 */
let p: TestPlatform;
let app: TestApp;
let dir: string;
const logger = pino({ level: 'silent' });
const TABLES = ['events', 'installs', 'clicks', 'impressions'];

/** The fixture's app exists since 2026-05-20 (catch-up never goes before an app's first day). */
const CREATED = '2026-05-20T00:00:00Z';

function job(now: string, format: 'parquet' | 'csv' | 'ndjson' = 'parquet', target = dir) {
  return startDailyExports({
    control: p.control,
    events: p.events,
    logger,
    dir: target,
    format,
    now: () => Date.parse(now),
    firstRunMs: 3_600_000,
  });
}

async function apiExport(table: string, day: string, next: string, format: string): Promise<Buffer> {
  const res = await fetch(`${p.apiUrl}/api/analytics/${app.id}/export?table=${table}&format=${format}&from=${day}&to=${next}`, {
    headers: { authorization: `Bearer ${app.serverKey}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

function byFirstColumn(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const key = (r: Record<string, unknown>) => String(Object.values(r)[0]);
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-exports-'));
  p = await startTestPlatform({ EXPORT_DIR: dir, EXPORT_FORMAT: 'ndjson' });
  app = await p.newApp('Daily export');
  await p.control.query('update apps set created_at = $2 where id = $1', [app.id, CREATED]);
  await loadFixture(p.events, app.id);
});
afterAll(async () => {
  await p?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('scheduled daily export', () => {
  it('EXPORT_DIR starts the job with the platform (EXPORT_FORMAT read)', () => {
    expect(p.config).toMatchObject({ exportDir: dir, exportFormat: 'ndjson' });
    expect(p.dailyExport).not.toBeNull();
  });

  it("writes yesterday's tables per app as <app>/<day>/<table>.<ext>, equal to the API's export of that day", async () => {
    const target = await mkdtemp(path.join(tmpdir(), 'unmogrowp-exports-parquet-'));
    try {
      const run = await job('2026-06-02T01:30:00Z', 'parquet', target).runNow();
      // 06-01 is yesterday; the seven days before it (from 05-26) are caught up, none before the app existed.
      const days = (await readdir(path.join(target, app.id))).sort();
      expect(days).toEqual(['2026-05-26', '2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30', '2026-05-31', '2026-06-01']);
      expect(run.written).toContain(path.join(app.id, '2026-06-01', 'installs.parquet'));
      const files = (await readdir(path.join(target, app.id, '2026-06-01'))).sort();
      expect(files).toEqual(TABLES.map((t) => `${t}.parquet`).sort());
      for (const table of TABLES) {
        const file = await readFile(path.join(target, app.id, '2026-06-01', `${table}.parquet`));
        const rows = await parquetReadObjects({
          file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
        });
        const api = await apiExport(table, '2026-06-01', '2026-06-02', 'parquet');
        const apiRows = await parquetReadObjects({
          file: api.buffer.slice(api.byteOffset, api.byteOffset + api.byteLength) as ArrayBuffer,
        });
        // Rows with equal sort keys may come in either order: compare by id (the first column).
        expect(byFirstColumn(rows), table).toEqual(byFirstColumn(apiRows));
        expect(Object.keys(rows[0] ?? {}), table).toEqual(exportColumns(table as 'events'));
      }
      // 06-01: installs i5 i1 i7 i2 (loadFixture), so the file is not empty by accident.
      const installs = await readFile(path.join(target, app.id, '2026-06-01', 'installs.parquet'));
      expect(installs.length).toBeGreaterThan(100);
      expect((await stat(path.join(target, app.id))).mode & 0o077).toBe(0);
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });

  it('CSV and NDJSON files read back too (CSV with the formula guard, like the API)', async () => {
    for (const format of ['csv', 'ndjson'] as const) {
      const target = await mkdtemp(path.join(tmpdir(), `unmogrowp-exports-${format}-`));
      try {
        await job('2026-06-02T01:30:00Z', format, target).runNow();
        const file = await readFile(path.join(target, app.id, '2026-06-01', `installs.${format}`));
        expect(file.equals(await apiExport('installs', '2026-06-01', '2026-06-02', format))).toBe(true);
        if (format === 'csv') expect(parseCsv(file.toString('utf8'))).toHaveLength(1 + 4);
        else
          expect(
            file
              .toString('utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l).install_id)
              .sort(),
          ).toEqual(['i1', 'i2', 'i5', 'i7']);
      } finally {
        await rm(target, { recursive: true, force: true });
      }
    }
  });

  it('before 01:00 UTC the day just ended is not due yet; nothing is written twice; a missed day is caught up', async () => {
    const early = await job('2026-06-02T00:30:00Z').runNow();
    expect(early.written.some((f) => f.includes('2026-06-01'))).toBe(false);
    expect(early.written).toContain(path.join(app.id, '2026-05-31', 'events.parquet'));

    // A finished file is the state: marked, it must survive the next runs untouched.
    const marked = path.join(dir, app.id, '2026-05-31', 'events.parquet');
    await writeFile(marked, 'kept');
    // A crash mid-write left a temporary file and a table missing.
    await rm(path.join(dir, app.id, '2026-05-31', 'clicks.parquet'));
    await writeFile(path.join(dir, app.id, '2026-05-31', '.partial-abc-clicks.parquet'), 'half');

    // "Restart" a day and a half later: 06-01 and 06-02 were missed, 05-31 lacks its clicks.
    const later = await job('2026-06-03T09:00:00Z').runNow();
    expect(later.written.sort()).toEqual(
      [
        path.join(app.id, '2026-05-31', 'clicks.parquet'),
        ...TABLES.map((t) => path.join(app.id, '2026-06-01', `${t}.parquet`)),
        ...TABLES.map((t) => path.join(app.id, '2026-06-02', `${t}.parquet`)),
      ].sort(),
    );
    expect(await readFile(marked, 'utf8')).toBe('kept');
    expect((await readdir(path.join(dir, app.id, '2026-05-31'))).sort()).toEqual(TABLES.map((t) => `${t}.parquet`).sort());
    expect((await job('2026-06-03T10:00:00Z').runNow()).written).toEqual([]);
  });

  it("removes day directories older than the app's retention_days", async () => {
    await updateApp(p.control, app.id, { settings: { retention_days: 31 } });
    // 2026-07-02 minus 31 days is 06-01: the days before it go.
    const run = await job('2026-07-02T02:00:00Z').runNow();
    // 05-25 was caught up by the 00:30 run above.
    expect(run.removed.sort()).toEqual(
      ['2026-05-25', '2026-05-26', '2026-05-27', '2026-05-28', '2026-05-29', '2026-05-30', '2026-05-31'].map((d) => path.join(app.id, d)),
    );
    const left = (await readdir(path.join(dir, app.id))).sort();
    expect(left[0]).toBe('2026-06-01');
  });
});
