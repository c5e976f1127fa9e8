/**
 * bench/jetstream-publish: the per-event cost of appending through the JetStream event log
 * (split by partition, JSON, message ids, pipelined publish, wait for every ack) against a bare
 * `js.publish` loop of the very same messages (same subjects, same bytes, same concurrency, no
 * message id), in the same run, on a nats-server of its own (free port, temporary store).
 * Three rounds, alternating which side goes first; medians printed as one JSON line. A third
 * side publishes each batch as ONE message (what partitioning costs, for sizing).
 *   node --import tsx bench/jetstream-publish.ts
 * Options (env): EVENTS per side per round (200000), BATCH events per append (50),
 * CONCURRENCY appends in flight (64), PARTITIONS (16), NATS_SERVER_BIN (/usr/sbin/nats-server).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { AppEvent } from '@unmogrowp/schema';
import { openJetStreamLog } from '../packages/pipeline/src/log/jetstream/jetstream-log.ts';
import { jetStreamSettings } from '../packages/pipeline/src/log/jetstream/jetstream-options.ts';
import { messagesFor, type OutgoingMessage } from '../packages/pipeline/src/log/jetstream/record-messages.ts';
import { startNatsServer } from '../packages/pipeline/test/support/nats.ts';
import { median } from './lib/median.ts';
import { sdkEvent } from './lib/sdk-events.ts';

const EVENTS = Number(process.env.EVENTS ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const PARTITIONS = Number(process.env.PARTITIONS ?? 16);
const ROUNDS = 3;
const BATCHES = Math.ceil(EVENTS / BATCH);

const appEvent = (round: string, n: number): AppEvent => sdkEvent('app_bench_0001', n, `${round}-${n}-3f9c2a71b8e04d5c`);

const batchOf = (round: string, b: number) => Array.from({ length: BATCH }, (_, i) => appEvent(round, b * BATCH + i));

/** Runs `task(b)` for every batch with CONCURRENCY in flight; latency of each, wall time, CPU of this process and of the server. */
async function drive(task: (b: number) => Promise<unknown>, serverPid: number) {
  const latencies = new Float64Array(BATCHES);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const srv0 = procCpuMs(serverPid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < BATCHES) {
        const b = next++;
        const started = performance.now();
        await task(b);
        latencies[b] = performance.now() - started;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort();
  const events = BATCHES * BATCH;
  return {
    events_per_s: Math.round(events / seconds),
    wall_us_per_event: Number(((seconds * 1e6) / events).toFixed(2)),
    client_cpu_us_per_event: Number(((cpu.user + cpu.system) / events).toFixed(2)),
    server_cpu_us_per_event: Number((((procCpuMs(serverPid) - srv0) * 1000) / events).toFixed(2)),
    p50_ms: Number(latencies[Math.floor(BATCHES * 0.5)]!.toFixed(2)),
    p99_ms: Number(latencies[Math.floor(BATCHES * 0.99)]!.toFixed(2)),
  };
}

/** utime + stime of a process, ms (Linux /proc, clock ticks of 10 ms). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const server = await startNatsServer();
const serverPid = server.pid();
const prefix = 'bench_jetstream';
const log = await openJetStreamLog({ servers: server.url, prefix, partitions: PARTITIONS, appendTimeoutMs: 30_000, maxBytes: 1024 ** 3 });
const nc = await connect({ servers: server.url });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const settings = jetStreamSettings({ servers: server.url, prefix, partitions: PARTITIONS });
const maxPayload = (nc.info?.max_payload ?? 1024 * 1024) - 4096;

type Side = Awaited<ReturnType<typeof drive>>;
const rounds: { ours: Side; bare: Side; whole: Side }[] = [];
let messagesPerBatch = 0;
let bytesPerEvent = 0;
for (let r = 0; r < ROUNDS; r++) {
  // The bare side gets the adapter's own messages, built before the clock starts.
  const bareMessages: OutgoingMessage[][] = Array.from({ length: BATCHES }, (_, b) =>
    messagesFor(batchOf(`bare${r}`, b), settings, maxPayload),
  );
  messagesPerBatch = bareMessages.reduce((n, m) => n + m.length, 0) / BATCHES;
  bytesPerEvent = bareMessages.reduce((n, ms) => n + ms.reduce((k, m) => k + m.payload.length, 0), 0) / (BATCHES * BATCH);
  const oursBatches = Array.from({ length: BATCHES }, (_, b) => batchOf(`ours${r}`, b));
  const runOurs = () => drive((b) => log.append(oursBatches[b]!), serverPid);
  const runBare = () => drive((b) => Promise.all(bareMessages[b]!.map((m) => js.publish(m.subject, m.payload))), serverPid);
  let ours: Side;
  let bare: Side;
  if (r % 2 === 0) {
    ours = await runOurs();
    await jsm.streams.purge(settings.stream);
    bare = await runBare();
  } else {
    bare = await runBare();
    await jsm.streams.purge(settings.stream);
    ours = await runOurs();
  }
  await jsm.streams.purge(settings.stream);
  // What partitioning costs: the same events as ONE message per batch (no split, no order per device).
  const wholeBatches = Array.from({ length: BATCHES }, (_, b) => Buffer.from(JSON.stringify(batchOf(`whole${r}`, b))));
  const whole = await drive((b) => js.publish(`${prefix}.events.0`, wholeBatches[b]!), serverPid);
  await jsm.streams.purge(settings.stream);
  rounds.push({ ours, bare, whole });
}
await log.close();
await jsm.streams.delete(settings.stream);
await nc.close();
await server.dispose();

const pick = (side: 'ours' | 'bare' | 'whole', key: keyof Side) => median(rounds.map((r) => r[side][key]));
const oursEps = pick('ours', 'events_per_s');
const bareEps = pick('bare', 'events_per_s');
console.log(
  JSON.stringify({
    bench: 'jetstream-publish',
    nats_server: '2.9 (own process, file storage, R1)',
    events_per_side_per_round: BATCHES * BATCH,
    batch: BATCH,
    concurrency: CONCURRENCY,
    partitions: PARTITIONS,
    messages_per_batch: Number(messagesPerBatch.toFixed(1)),
    payload_bytes_per_event: Math.round(bytesPerEvent),
    ours_events_per_s: oursEps,
    bare_events_per_s: bareEps,
    ratio: Number((oursEps / bareEps).toFixed(3)),
    ours_wall_us_per_event: pick('ours', 'wall_us_per_event'),
    bare_wall_us_per_event: pick('bare', 'wall_us_per_event'),
    ours_client_cpu_us_per_event: pick('ours', 'client_cpu_us_per_event'),
    bare_client_cpu_us_per_event: pick('bare', 'client_cpu_us_per_event'),
    ours_server_cpu_us_per_event: pick('ours', 'server_cpu_us_per_event'),
    bare_server_cpu_us_per_event: pick('bare', 'server_cpu_us_per_event'),
    ours_append_p50_ms: pick('ours', 'p50_ms'),
    ours_append_p99_ms: pick('ours', 'p99_ms'),
    bare_batch_p50_ms: pick('bare', 'p50_ms'),
    bare_batch_p99_ms: pick('bare', 'p99_ms'),
    bare_one_message_per_batch_events_per_s: pick('whole', 'events_per_s'),
    bare_one_message_per_batch_client_cpu_us_per_event: pick('whole', 'client_cpu_us_per_event'),
    bare_one_message_per_batch_server_cpu_us_per_event: pick('whole', 'server_cpu_us_per_event'),
    rounds: rounds.map((r) => ({ ours: r.ours.events_per_s, bare: r.bare.events_per_s, whole: r.whole.events_per_s })),
    loadavg_1m: Number(loadavg()[0]!.toFixed(2)),
  }),
);
