import { describe } from 'vitest';
import { describeEventFraudEdgesContract } from './event-fraud-edges.contract.ts';
import { describeEventRollupsContract } from './event-rollups.contract.ts';
import { describeEventRollupsEdgesContract } from './event-rollups-edges.contract.ts';
import { CLICKHOUSE_TEST_URL, httpEventHarness, standInEventHarness } from './support/clickhouse-http-harness.ts';

const standIn = standInEventHarness();
describeEventRollupsContract('ClickHouse client over HTTP to the chDB stand-in', standIn);
describeEventRollupsEdgesContract('ClickHouse client over HTTP to the chDB stand-in', standIn);
describeEventFraudEdgesContract('ClickHouse client over HTTP to the chDB stand-in', standIn);

const server = CLICKHOUSE_TEST_URL;
if (server) {
  const harness = httpEventHarness(() => server);
  describeEventRollupsContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
  describeEventRollupsEdgesContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
  describeEventFraudEdgesContract('ClickHouse server at CLICKHOUSE_TEST_URL', harness);
}
// No ClickHouse server can be installed here: this run needs CLICKHOUSE_TEST_URL; the stand-in run above always runs.
else describe.skip('EventStore rollups contract: ClickHouse server — set CLICKHOUSE_TEST_URL to run it', () => {});
