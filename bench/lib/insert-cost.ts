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

/** The median of each of two measurements over `rounds` rounds, taken in turn, `first` first in each round. */
export async function medianPair(rounds: number, first: () => Promise<number>, second: () => Promise<number>): Promise<[number, number]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(await first());
    b.push(await second());
  }
  return [median(a), median(b)];
}
