import { describeEventPrivacyContract } from './event-privacy.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

describeEventPrivacyContract('chDB', chdbEventHarness());
