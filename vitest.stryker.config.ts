import { defineConfig } from 'vitest/config';

// Used only by `npm run mutation` (stryker.config.json): Stryker re-runs the tests once per mutant,
// so it gets the pure packages' tests alone (attribution, schema) — no database, no network, seconds per run.
export default defineConfig({
  test: {
    include: ['packages/attribution/test/**/*.test.ts', 'packages/schema/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
