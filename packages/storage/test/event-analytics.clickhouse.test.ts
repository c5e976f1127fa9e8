import { describe } from 'vitest';
import { describeEventAnalyticsContract } from './event-analytics.contract.ts';
import { describeCohortRetentionContract } from './event-cohort-retention.contract.ts';
import { describeLtvContract } from './event-ltv.contract.ts';
import { describeEventMoneyContract } from './event-money.contract.ts';
import { CLICKHOUSE_TEST_URL, httpEventHarness, standInEventHarness } from './support/clickhouse-http-harness.ts';

// One stand-in for the file (one chDB data directory per process): the suites share it.
const standIn = standInEventHarness();
describeEventAnalyticsContract('ClickHouse client over HTTP to the chDB stand-in', standIn);
describeCohortRetentionContract('ClickHouse client over HTTP to the chDB stand-in', standIn);
describeEventMoneyContract('ClickHouse client over HTTP to the chDB stand-in', standIn);
describeLtvContract('ClickHouse client over HTTP to the chDB stand-in', standIn);

const server = CLICKHOUSE_TEST_URL;
if (server) {
  const harness = httpEventHarness(() => server);
  describeEventAnalyticsContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
  describeCohortRetentionContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
  describeEventMoneyContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
  describeLtvContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
}
// No ClickHouse server can be installed here: this run needs CLICKHOUSE_TEST_URL; the stand-in run above always runs.
else describe.skip('EventStore analytics contract: ClickHouse server — set CLICKHOUSE_TEST_URL to run it', () => {});
