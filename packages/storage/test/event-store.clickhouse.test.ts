import { describe } from 'vitest';
import { describeEventStoreContract } from './event-store.contract.ts';
import { CLICKHOUSE_TEST_URL, httpEventHarness, standInEventHarness } from './support/clickhouse-http-harness.ts';

describeEventStoreContract('ClickHouse client over HTTP to the chDB stand-in', standInEventHarness());

const server = CLICKHOUSE_TEST_URL;
if (server)
  describeEventStoreContract(
    'ClickHouse server at CLICKHOUSE_TEST_URL',
    httpEventHarness(() => server),
  );
// No ClickHouse server can be installed here: this run needs CLICKHOUSE_TEST_URL; the stand-in run above always runs.
else describe.skip('EventStore contract: ClickHouse server — set CLICKHOUSE_TEST_URL to run it', () => {});
