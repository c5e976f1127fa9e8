import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import { describe, expect, it } from 'vitest';
import { cli, startChild } from './support/child-server.ts';

const BATCH = 50;
const SENDERS = 6;

function batch(prefix: string, n: number) {
  const now = new Date().toISOString();
  return Array.from({ length: BATCH }, (_, i) => ({
    event_id: `${prefix}-${n}-${i}`,
    type: 'event',
    name: 'level_complete',
    timestamp: now,
    device: { id: `dev-${i % 13}`, platform: 'android', os_version: '14' },
    properties: { level: i, note: 'déjà vu 🎮' },
  }));
}

async function sendBatch(ingestUrl: string, key: string, events: unknown[]) {
  const res = await fetch(`${ingestUrl}/v1/events/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ events }),
  });
  return { status: res.status, body: (await res.json()) as { accepted: number; duplicates: number } };
}

async function storedCounts(dataDir: string, appId: string): Promise<Map<string, number>> {
  const session = new Session(path.join(dataDir, 'events'));
  try {
    const result = await session.queryBindAsync(
      'SELECT event_id, count() AS n FROM events WHERE app_id = {app:String} GROUP BY event_id',
      { app: appId },
      { format: 'JSONEachRow' },
    );
    const rows = result
      .text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event_id: string; n: string | number });
    return new Map(rows.map((r) => [r.event_id, Number(r.n)]));
  } finally {
    session.close();
  }
}

describe('durability', () => {
  it('every acknowledged event survives kill -9 exactly once, and retries are not double-counted', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-durability-'));
    const app = JSON.parse(await cli(['app', 'create', '--name', 'Durable', '--platforms', 'android', '--json'], { DATA_DIR: dataDir }));
    expect(app).toEqual({
      app_id: expect.stringMatching(/^app_/),
      sdk_key: expect.stringMatching(/^sdk_/),
      server_key: expect.stringMatching(/^srv_/),
    });

    const first = await startChild(dataDir);
    const sent: unknown[][] = [];
    const acknowledged = new Set<string>();
    let killed = false;
    const sender = async (s: number) => {
      for (let n = 0; !killed; n++) {
        const events = batch(`s${s}`, n);
        sent.push(events);
        try {
          const res = await sendBatch(first.ingestUrl, app.sdk_key, events);
          if (res.status === 202) for (const e of events as { event_id: string }[]) acknowledged.add(e.event_id);
        } catch {
          return; // the connection died with the server: this batch was never acknowledged
        }
      }
    };
    const senders = Array.from({ length: SENDERS }, (_, s) => sender(s));
    while (acknowledged.size < 3000) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    await first.exited;

    const second = await startChild(dataDir);
    // The client retries everything it sent: acknowledged batches must come back as duplicates.
    let accepted = 0;
    for (const events of sent) {
      const res = await sendBatch(second.ingestUrl, app.sdk_key, events);
      expect(res.status).toBe(202);
      expect(res.body.accepted + res.body.duplicates).toBe(BATCH);
      accepted += res.body.accepted;
      const ids = (events as { event_id: string }[]).map((e) => e.event_id);
      if (ids.every((id) => acknowledged.has(id))) expect(res.body.duplicates).toBe(BATCH);
    }
    const total = sent.length * BATCH;
    expect(accepted).toBeLessThanOrEqual(total - acknowledged.size);

    const overview = async () =>
      (
        await fetch(`${second.apiUrl}/api/analytics/${app.app_id}/overview`, { headers: { authorization: `Bearer ${app.server_key}` } })
      ).json() as Promise<{ total_events: number }>;
    for (let i = 0; (await overview()).total_events !== total && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await overview()).total_events).toBe(total);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const counts = await storedCounts(dataDir, app.app_id);
    for (const id of acknowledged) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(total);
  });

  it('SIGTERM stops accepting, stores what was acknowledged and exits within 10 s', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-sigterm-'));
    const app = JSON.parse(await cli(['app', 'create', '--name', 'Term', '--json'], { DATA_DIR: dataDir }));
    const server = await startChild(dataDir);
    const res = await sendBatch(server.ingestUrl, app.sdk_key, batch('term', 0));
    expect(res.body.accepted).toBe(BATCH);
    // The embedded stores belong to the running server: the CLI must not open them meanwhile.
    await expect(cli(['app', 'create', '--name', 'Second', '--json'], { DATA_DIR: dataDir })).rejects.toThrow(/is in use by process/);
    const t0 = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect([...(await storedCounts(dataDir, app.app_id)).values()]).toHaveLength(BATCH);
    await expect(fetch(`${server.ingestUrl}/health`)).rejects.toThrow();
  });
});
