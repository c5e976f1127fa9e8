import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDisk, mountSmallDisk } from './support/small-disk.ts';
import { eventually, nativeEvent, overview, post, startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

// Mounting the tmpfs needs root; without it the suite skips, except under REQUIRE_SERVICES=1 (CI, run as root), where mountSmallDisk throws instead.
const disk = await mountSmallDisk(160);
const skip = 'skip' in disk ? disk.skip : null;
if (skip) console.warn(`disk-full.e2e: skipped: ${skip}`);

/**
 * DATA_DIR on a 160 MB tmpfs that the test fills to the last byte: ingest must refuse with 503
 * (or 507) and Retry-After — never 202 for what it could not write, never a 500, never a crash —
 * and take events again by itself once space returns, with every store still readable.
 */
// Skipped only when the tmpfs could not be mounted (the reason is printed above).
describe.skipIf(skip !== null)('full disk under DATA_DIR', () => {
  let p: TestPlatform;
  let app: TestApp;
  const dataDir = 'dir' in disk ? path.join(disk.dir, 'data') : '';
  // Bigger than a page, so no event can slip into the free end of a page the log already has.
  const big = () => nativeEvent({ properties: { blob: 'x'.repeat(10_000) } });

  beforeAll(async () => {
    p = await startTestPlatform({}, {}, dataDir);
    app = await p.newApp();
  }, 60_000);
  afterAll(async () => {
    await p?.close();
    if ('unmount' in disk) await disk.unmount();
  });

  it('refuses with 503/507 + Retry-After while full, recovers by itself, and loses nothing it acknowledged', {
    timeout: 120_000,
  }, async () => {
    const headers = { 'x-api-key': app.sdkKey };
    let acknowledged = 0;
    for (let i = 0; i < 5; i++) {
      const res = await post(`${p.ingestUrl}/v1/events`, big(), headers);
      expect(res.status).toBe(202);
      acknowledged++;
    }
    expect(await p.log.drain(15_000)).toBe(true);

    const filler = await fillDisk(disk && 'dir' in disk ? disk.dir : '');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await post(`${p.ingestUrl}/v1/events/batch`, { events: [big(), big()] }, headers);
      statuses.push(res.status);
      expect([503, 507]).toContain(res.status);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body.error.message).toMatch(/retry/i);
    }
    expect((await fetch(`${p.ingestUrl}/health`)).status).toBe(200);
    expect((await fetch(`${p.apiUrl}/health`)).status).toBe(200);

    await filler.free();
    // Recovers without a restart: the next attempts are accepted again.
    await eventually(async () => {
      const res = await post(`${p.ingestUrl}/v1/events`, big(), headers);
      expect(res.status).toBe(202);
      acknowledged++;
    }, 20_000);
    await eventually(async () => expect((await overview(p, app)).body.total_events).toBe(acknowledged), 60_000);

    // The log and the stores are still readable by a fresh process.
    await p.close();
    p = await startTestPlatform({}, {}, dataDir);
    await p.warmUp.done;
    expect((await overview(p, app)).body.total_events).toBe(acknowledged);
  });
});
