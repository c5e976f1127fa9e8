import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EventStore, openChdbEventStore } from '@unmogrowp/storage';
import { drainPending, Session } from 'chdb';
import { median } from './median.ts';

/** What an insert-cost bench writes, and how (bench/insert-batch-cost, bench/insert-touches-cost). */
export interface InsertCase<T> {
  /** Names its scratch directories. */
  name: string;
  /** `count` rows of `app`, with fresh ids. */
  rows(app: string, count: number): T[];
  insert(store: EventStore, rows: T[]): Promise<void>;
}

/**
 * CPU µs per row of inserting `total` rows in batches of `size` into a fresh chDB event store
 * with `dropViews` dropped (on that scratch store): a fixed cost per call shows as a higher cost
 * per row at smaller batches, a view's share as the difference with and without it. A batch of
 * another app is inserted first to warm up.
 */
export async function insertCpuPerRow<T>(bench: InsertCase<T>, size: number, total: number, dropViews: readonly string[]): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), `unmogrowp-bench-${bench.name}-`));
  try {
    const fresh = await openChdbEventStore(dir);
    await fresh.migrate();
    await fresh.close();
    if (dropViews.length > 0) {
      const session = new Session(dir);
      for (const view of dropViews) await session.queryAsync(`DROP VIEW ${view}`);
      session.close();
      await drainPending();
    }
    const store = await openChdbEventStore(dir);
    await bench.insert(store, bench.rows('warm-up', size));
    const all = bench.rows('bench', total);
    const start = process.cpuUsage();
    for (let i = 0; i < all.length; i += size) await bench.insert(store, all.slice(i, i + size));
    const used = process.cpuUsage(start);
    await store.close();
    return (used.user + used.system) / total;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU µs per row with every view and without `views`, rounded, and the views' share of it. */
export interface ViewCost {
  withViews: number;
  withoutViews: number;
  share: number;
}

/**
 * `insertCpuPerRow` at batch `size` with every view and with `views` dropped, taken in turn over
 * `rounds` rounds (the store without them first when `withoutFirst`), as medians.
 */
export async function viewCost<T>(
  bench: InsertCase<T>,
  size: number,
  total: number,
  rounds: number,
  views: readonly string[],
  withoutFirst = false,
): Promise<ViewCost> {
  const all: number[] = [];
  const without: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const measure = [
      async () => all.push(await insertCpuPerRow(bench, size, total, [])),
      async () => without.push(await insertCpuPerRow(bench, size, total, views)),
    ];
    for (const m of withoutFirst ? measure.reverse() : measure) await m();
  }
  const a = median(all);
  const b = median(without);
  return { withViews: Number(a.toFixed(1)), withoutViews: Number(b.toFixed(1)), share: Number(((a - b) / a).toFixed(2)) };
}
