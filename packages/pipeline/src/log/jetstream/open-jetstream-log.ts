import type { JetStreamLog } from './jetstream-log.ts';

export type { ConsumeOptions, ConsumerState, JetStreamLog, JetStreamLogOptions, PartitionConsumer } from './jetstream-log.ts';
export { partitionKey, partitionOf, partitionOfItem } from './partition.ts';

/**
 * The package's way in to the JetStream log (jetstream-log.ts): the NATS client is imported
 * when a log is opened, not when the package is, so the embedded start — which imports this
 * package for the file log — never loads it.
 */
export async function openJetStreamLog(
  options: Parameters<typeof import('./jetstream-log.ts').openJetStreamLog>[0],
): Promise<JetStreamLog> {
  const { openJetStreamLog: open } = await import('./jetstream-log.ts');
  return open(options);
}
