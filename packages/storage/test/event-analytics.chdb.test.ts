import { describeEventAnalyticsContract } from './event-analytics.contract.ts';
import { describeEventMoneyContract } from './event-money.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

describeEventAnalyticsContract('chDB', chdbEventHarness());
describeEventMoneyContract('chDB', chdbEventHarness());
