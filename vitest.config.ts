import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // chDB and PGlite are process singletons per data path: files run in separate forks.
    pool: 'forks',
    // Vitest's default (cores - 1) is one fork on the 2-core CI machines, where most of a file's
    // time is waiting on servers, engines and timers: two forks ran the suite in 706 s instead
    // of 1,115 s, every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
