import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describe } from 'vitest';
import { openFileLog } from '../src/log/file-log.ts';
import { openJetStreamLog } from '../src/log/jetstream/jetstream-log.ts';
import { eventLogContract } from './support/event-log-contract.ts';
import { deleteStreams, describeWith, NATS_TEST_URL, natsRelay, probeNats, TEST_MAX_BYTES, uniquePrefix } from './support/nats.ts';

describe('EventLog contract: file log', () => {
  eventLogContract(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-log-'));
    return {
      open: () => openFileLog({ dir, retryDelayMs: () => 5, minBatchIntervalMs: 10 }),
      // A crashed process leaves its files as they are; nothing else to do.
      crash: async () => {},
      appendTimeoutMs: 0,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  });
});

describeWith('EventLog contract: NATS JetStream', await probeNats(), () => {
  eventLogContract(
    async () => {
      const prefix = uniquePrefix('contract');
      // Through a relay, so the test can take the server away from the log without stopping it.
      const relay = await natsRelay(NATS_TEST_URL);
      const connections = new Map<object, NatsConnection>();
      const appendTimeoutMs = 1_500;
      return {
        open: async () => {
          const nc = await connect({ servers: relay.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
          const log = await openJetStreamLog({
            servers: relay.url,
            connection: nc,
            prefix,
            partitions: 4,
            maxBytes: TEST_MAX_BYTES,
            appendTimeoutMs,
            retryDelayMs: () => 5,
            minBatchIntervalMs: 10,
          });
          connections.set(log, nc);
          return log;
        },
        // The process dies: its connection ends without a goodbye, its unacked records stay pending.
        crash: async (log) => {
          await connections.get(log)?.close();
        },
        breakBackend: () => relay.cut(),
        appendTimeoutMs,
        dispose: async () => {
          for (const nc of connections.values()) await nc.close().catch(() => {});
          await relay.close();
          await deleteStreams(NATS_TEST_URL, prefix);
        },
      };
    },
    { hasBackend: true },
  );
});
