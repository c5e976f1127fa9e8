import { describe, expect, it } from 'vitest';
import { RAW_TABLES, RAW_TIME } from '../src/events/clickhouse-schema.ts';
import { rawEdges, splitRange } from '../src/events/time-split.ts';
import { at } from './event-store.fixtures.ts';
import { describeRawSortKeysContract } from './raw-sort-keys.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

const harness = chdbEventHarness();
describeRawSortKeysContract('chDB', harness);

describe('raw tables sorted by hour on chDB: what a partial hour reads', () => {
  it("reads the partial hours' granules at a range's ends, not their whole days", async () => {
    const dir = await harness.newLocation();
    const store = await harness.open(dir);
    await store.migrate();
    await store.close();
    // Two days of 10,000 rows an hour (~1.2 granules of 8,192): a day is ~30 granules, an hour 1-2.
    const perHour = 10_000;
    for (const table of RAW_TABLES) {
      await harness.exec(
        dir,
        `INSERT INTO ${table} (app_id, ${RAW_TIME[table]}) SELECT 'a', toDateTime64('2024-03-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(intDiv(number * 3600000, ${perHour})) FROM numbers(${48 * perHour})`,
      );
      await harness.exec(dir, `OPTIMIZE TABLE ${table} FINAL`);
      const range = splitRange(at('2024-03-01T10:30:00Z'), at('2024-03-02T13:15:00Z'));
      const [estimate] = await harness.select(
        dir,
        `EXPLAIN ESTIMATE SELECT count() FROM ${table} WHERE app_id = {app:String} AND ${rawEdges(RAW_TIME[table])}`,
        { app: 'a', ...range },
      );
      // The two partial hours plus at most a boundary granule on each side of each.
      expect(Number(estimate?.['rows']), table).toBeLessThanOrEqual(2 * perHour + 4 * 8192);
    }
  });
});
