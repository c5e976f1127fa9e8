import { describeEventStoreContract } from './event-store.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

describeEventStoreContract('chDB', chdbEventHarness());
