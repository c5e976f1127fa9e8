import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  attributionSettingsOf,
  type EventStore,
  EXPORT_EXTENSIONS,
  EXPORT_TABLES,
  type ExportFormat,
  listApps,
  type SqlDb,
} from '@unmogrowp/storage';
import type { Logger } from 'pino';
import { FORMULA_START } from '../api/analytics/csv-cells.ts';
import { dayRange, dueDays, expiredDays } from './export-days.ts';
import { listNames, removeLeftovers, writeAtomically } from './export-files.ts';

export interface DailyExportDeps {
  control: SqlDb;
  events: EventStore;
  logger: Logger;
  /** `EXPORT_DIR`: files go to `<dir>/<app_id>/<YYYY-MM-DD>/<table>.<ext>`. */
  dir: string;
  /** `EXPORT_FORMAT` */
  format: ExportFormat;
  /** How often the job looks for due days (default hourly). */
  intervalMs?: number;
  /** The first look, after start-up has settled (default 1 minute). */
  firstRunMs?: number;
  now?: () => number;
}

/** What one run did: the files written, per app and day. */
export interface DailyExportRun {
  written: string[];
  removed: string[];
}

/** Ids the control store makes; anything else is never turned into a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The scheduled raw-data export (docs/operations.md "Daily raw-data export"): each hour, every
 * app's due UTC days (export-days.ts) are written as one file per table, through the same store
 * export the API serves. What is on disk is the state: a table file present is done (it only
 * appears by rename, whole), so a restart neither rewrites a finished day nor skips a missed
 * one. Day directories older than the app's `retention_days` are removed, as the stores drop
 * their rows (docs/privacy.md). One run at a time; a failed run is retried at the next tick.
 */
export function startDailyExports(deps: DailyExportDeps): { runNow(): Promise<DailyExportRun>; stop(): Promise<void> } {
  const now = deps.now ?? Date.now;
  const ext = EXPORT_EXTENSIONS[deps.format];
  let running: Promise<DailyExportRun> | null = null;
  let stopped = false;

  const exportDay = async (appId: string, day: string, written: string[]) => {
    const dayDir = path.join(deps.dir, appId, day);
    await removeLeftovers(dayDir);
    const present = new Set(await listNames(dayDir));
    for (const table of EXPORT_TABLES) {
      const name = `${table}.${ext}`;
      if (present.has(name) || stopped) continue;
      const stream = await deps.events.exportTable(appId, table, dayRange(day), {
        format: deps.format,
        csvFormulaGuard: FORMULA_START.source,
      });
      const bytes = await writeAtomically(path.join(dayDir, name), stream);
      written.push(path.join(appId, day, name));
      deps.logger.debug({ app_id: appId, day, table, bytes }, 'daily export written');
    }
  };

  const run = async (): Promise<DailyExportRun> => {
    const at = now();
    const result: DailyExportRun = { written: [], removed: [] };
    for (const app of await listApps(deps.control)) {
      if (!SAFE_ID.test(app.id) || stopped) continue;
      for (const day of dueDays(at, Date.parse(app.created_at))) await exportDay(app.id, day, result.written);
      const appDir = path.join(deps.dir, app.id);
      for (const day of expiredDays(await listNames(appDir), at, attributionSettingsOf(app.settings).retention_days)) {
        await rm(path.join(appDir, day), { recursive: true, force: true });
        result.removed.push(path.join(app.id, day));
      }
    }
    if (result.written.length > 0 || result.removed.length > 0) {
      deps.logger.info({ written: result.written.length, removed: result.removed.length, dir: deps.dir }, 'daily export done');
    }
    return result;
  };

  const runNow = () => {
    running ??= run()
      .catch((err) => {
        deps.logger.error({ err }, 'daily export failed; it runs again at the next interval');
        return { written: [], removed: [] };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const first = setTimeout(() => void runNow(), deps.firstRunMs ?? 60_000).unref();
  const timer = setInterval(() => void runNow(), deps.intervalMs ?? 3_600_000).unref();
  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
