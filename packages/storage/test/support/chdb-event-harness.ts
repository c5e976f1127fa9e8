import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll } from 'vitest';
import { openChdbEventStore } from '../../src/events/chdb-event-store.ts';
import type { EventStoreHarness } from '../event-store.contract.ts';

/** The chDB harness of the event-store contract suites: a temp directory per location, removed after the file. */
export function chdbEventHarness(): EventStoreHarness {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async newLocation() {
      const dir = mkdtempSync(join(tmpdir(), 'unmogrowp-events-'));
      dirs.push(dir);
      return dir;
    },
    open: openChdbEventStore,
    // A short-lived extra session on the same path (allowed in-process), closed at once so a
    // close-and-reopen test still restarts the engine from disk.
    async select(dir, sql, params) {
      const session = new Session(dir, { connectionArgs: ['--output_format_json_quote_64bit_integers=1'] });
      try {
        const text = (await session.queryBindAsync(sql, params, { format: 'JSONEachRow' })).text();
        return text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      } finally {
        session.close();
      }
    },
    async exec(dir, sql) {
      const session = new Session(dir);
      try {
        await session.queryAsync(sql);
      } finally {
        session.close();
      }
    },
  };
}
