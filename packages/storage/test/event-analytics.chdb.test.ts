import { describeEventAnalyticsContract } from './event-analytics.contract.ts';
import { describeCohortRetentionContract } from './event-cohort-retention.contract.ts';
import { describeLtvContract } from './event-ltv.contract.ts';
import { describeEventMoneyContract } from './event-money.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

const harness = chdbEventHarness();
describeEventAnalyticsContract('chDB', harness);
describeCohortRetentionContract('chDB', harness);
describeEventMoneyContract('chDB', harness);
describeLtvContract('chDB', harness);
