import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, it } from 'vitest';

/**
 * NATS for tests: the machine's server (NATS_TEST_URL) under a prefix unique to the run, whose
 * stream is deleted afterwards; or a `nats-server` of the test's own on a free port, for tests
 * that kill it.
 */
export const NATS_TEST_URL = process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export type Availability = { available: true } | { available: false; reason: string };

/**
 * A stream's max_bytes is reserved against the server's JetStream storage, shared by every
 * helper's test run: test streams ask for little.
 */
export const TEST_MAX_BYTES = 16 * 1024 * 1024;

export const uniquePrefix = (label = 't') => `unmogrowp_test_${label}_${randomBytes(4).toString('hex')}`;

export async function probeNats(url: string = NATS_TEST_URL): Promise<Availability> {
  try {
    const nc = await connect({ servers: url, timeout: 2000, reconnect: false });
    try {
      await jetstreamManager(nc, { timeout: 2000 });
    } finally {
      await nc.close();
    }
    return { available: true };
  } catch (err) {
    return { available: false, reason: `NATS JetStream at ${url} is unreachable (${(err as Error).message})` };
  }
}

export function probeNatsServerBinary(): Availability {
  return existsSync(NATS_SERVER_BIN)
    ? { available: true }
    : { available: false, reason: `${NATS_SERVER_BIN} is not installed (apt-get install nats-server)` };
}

/** `describe` that skips visibly when NATS is absent, and fails instead under REQUIRE_SERVICES=1 (CI). */
export function describeWith(title: string, availability: Availability, body: () => void): void {
  if (availability.available) describe(title, body);
  else if (process.env.REQUIRE_SERVICES === '1') {
    describe(title, () => {
      it('needs its service (REQUIRE_SERVICES=1)', () => {
        throw new Error(availability.reason);
      });
    });
  } else {
    console.warn(`[skip] ${title}: ${availability.reason}`);
    // Skipped only when the server is absent and REQUIRE_SERVICES is not 1 (CI sets it, so there it fails instead).
    describe.skip(`${title} — skipped: ${availability.reason}`, body);
  }
}

/** Deletes every stream of a test prefix (its consumers go with it). */
export async function deleteStreams(url: string | string[], prefix: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 3000, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) if (name.startsWith(prefix)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export interface OwnNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Process id of the running server (benchmarks read its CPU time). */
  pid(): number;
  /** kill -9: no flush, no goodbye. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops it for good and removes the store. */
  dispose(): Promise<void>;
}

export interface ClusterMember {
  name: string;
  clusterPort: number;
  routes: number[];
}

/** A `nats-server -js` of the test's own: free port, temporary store, killed at the end. */
export async function startNatsServer(options: { cluster?: ClusterMember; storeDir?: string; port?: number } = {}): Promise<OwnNatsServer> {
  const port = options.port ?? (await freePort());
  const storeDir = options.storeDir ?? (await mkdtemp(path.join(tmpdir(), 'unmogrowp-nats-')));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  if (options.cluster) {
    const c = options.cluster;
    args.push(
      '-n',
      c.name,
      '--cluster_name',
      'unmogrowp_test',
      '--cluster',
      `nats://127.0.0.1:${c.clusterPort}`,
      '--routes',
      c.routes.map((p) => `nats://127.0.0.1:${p}`).join(','),
    );
  }
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(NATS_SERVER_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    try {
      await waitForPort(port);
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${(err as Error).message}; nats-server said: ${stderr}`);
    }
  };
  const kill = async () => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
    child = null;
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    pid: () => (child as ChildProcess | null)?.pid ?? 0,
    kill,
    restart: launch,
    dispose: async () => {
      await kill();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP relay in front of a NATS server: `cut()` drops every connection and stops listening
 * (the server looks gone to the client), `restore()` listens again on the same port.
 */
export async function natsRelay(
  target: string,
): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(targetPort), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const cut = async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  await listen();
  return {
    url: `nats://127.0.0.1:${port}`,
    cut,
    restore: listen,
    close: async () => {
      if (server.listening) await cut();
    },
  };
}
