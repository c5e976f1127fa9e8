import { describeEventAnalyticsContract } from './event-analytics.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

describeEventAnalyticsContract('chDB', chdbEventHarness());
