import { describe } from 'vitest';
import { describeRawSortKeysContract } from './raw-sort-keys.contract.ts';
import { CLICKHOUSE_TEST_URL, httpEventHarness, standInEventHarness } from './support/clickhouse-http-harness.ts';

describeRawSortKeysContract('ClickHouse client over HTTP to the chDB stand-in', standInEventHarness());

const server = CLICKHOUSE_TEST_URL;
if (server) {
  describeRawSortKeysContract(
    'ClickHouse server at CLICKHOUSE_TEST_URL',
    httpEventHarness(() => server),
  );
}
// No ClickHouse server can be installed here: this run needs CLICKHOUSE_TEST_URL; the stand-in run above always runs.
else describe.skip('raw tables re-sorted by hour: ClickHouse server — set CLICKHOUSE_TEST_URL to run it', () => {});
