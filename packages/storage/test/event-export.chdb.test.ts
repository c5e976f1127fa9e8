import { describeEventExportContract } from './event-export.contract.ts';
import { chdbEventHarness } from './support/chdb-event-harness.ts';

describeEventExportContract('chDB', chdbEventHarness());
