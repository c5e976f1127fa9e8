import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { IngestItem } from '@unmogrowp/schema';
import { afterAll, expect, it } from 'vitest';
import { type JetStreamLog, openJetStreamLog } from '../src/log/jetstream/jetstream-log.ts';
import { event, waitFor } from './support/event-log-contract.ts';
import {
  describeWith,
  freePort,
  type OwnNatsServer,
  probeNatsServerBinary,
  startNatsServer,
  TEST_MAX_BYTES,
  uniquePrefix,
} from './support/nats.ts';

/**
 * Three nats-server processes clustered on loopback, an R3 stream; the server leading the
 * stream is killed (-9) while clients publish. Every record JetStream acknowledged must still
 * be consumable, exactly once.
 */
const servers: OwnNatsServer[] = [];
const logs: JetStreamLog[] = [];
afterAll(async () => {
  for (const log of logs) await log.close().catch(() => {});
  for (const s of servers) await s.dispose();
});

async function startCluster(): Promise<OwnNatsServer[]> {
  const ports = await Promise.all([0, 1, 2].map(async () => ({ client: await freePort(), cluster: await freePort() })));
  const routes = ports.map((p) => p.cluster);
  return Promise.all(
    ports.map((p, i) =>
      startNatsServer({
        port: p.client,
        cluster: { name: `n${i + 1}`, clusterPort: p.cluster, routes: routes.filter((r) => r !== p.cluster) },
      }),
    ),
  );
}

/** JetStream answers only once the servers elected a meta leader; until then opening fails. */
async function openWhenReady(urls: string[], prefix: string): Promise<JetStreamLog> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await openJetStreamLog({
        servers: urls,
        prefix,
        replicas: 3,
        maxBytes: TEST_MAX_BYTES,
        partitions: 4,
        appendTimeoutMs: 4_000,
        connectTimeoutMs: 2_000,
        minBatchIntervalMs: 10,
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

async function streamLeader(url: string, stream: string): Promise<string> {
  const nc = await connect({ servers: url, timeout: 2_000 });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    return info.cluster?.leader ?? '';
  } finally {
    await nc.close();
  }
}

describeWith('JetStream log on a 3-node NATS cluster', probeNatsServerBinary(), () => {
  it('keeps every acknowledged record, once, when the stream leader is killed mid-stream', { timeout: 60_000 }, async () => {
    servers.push(...(await startCluster()));
    const urls = servers.map((s) => s.url);
    const prefix = uniquePrefix('cluster');
    const log = await openWhenReady(urls, prefix);
    logs.push(log);

    const acked = new Set<string>();
    let rejected = 0;
    let stop = false;
    // 8 clients, batches of 20 items over 50 devices; a refused batch is retried as is (a client retrying a 503).
    const client = async (c: number) => {
      for (let b = 0; !stop; b++) {
        const items: IngestItem[] = Array.from({ length: 20 }, (_, i) => event(`c${c}-b${b}-i${i}`, `dev${(b * 20 + i) % 50}`));
        for (;;) {
          try {
            await log.append(items);
            for (const it of items) acked.add(it.event_id);
            break;
          } catch {
            rejected++;
            await sleep(100);
          }
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await waitFor(() => acked.size >= 2_000, 20_000, '2000 acknowledged items');

    const leader = await streamLeader(urls[0]!, `${prefix}_events`);
    const victim = servers[Number(leader.replace('n', '')) - 1] ?? servers[0]!;
    await victim.kill();
    const ackedAtKill = acked.size;
    await waitFor(() => acked.size >= ackedAtKill + 2_000, 30_000, '2000 items acknowledged after the kill');
    stop = true;
    await Promise.all(clients);

    const seen = new Map<string, number>();
    log.consume(async (records) => {
      for (const r of records) for (const it of r.items) seen.set(it.event_id, (seen.get(it.event_id) ?? 0) + 1);
    });
    await waitFor(async () => (await log.refreshPending()).records === 0 && (await log.drain(50)), 20_000, 'the stream to drain');
    const lost = [...acked].filter((id) => !seen.has(id));
    const twice = [...seen].filter(([, n]) => n > 1);
    console.info(JSON.stringify({ leader, acked: acked.size, ackedAtKill, rejected, consumed: seen.size }));
    expect(lost).toEqual([]);
    expect(twice).toEqual([]);
    expect(seen.size).toBe(acked.size);
  });
});
