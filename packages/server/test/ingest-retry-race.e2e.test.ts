import { idKey } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultyFiles } from '../../pipeline/test/support/faulty-file.ts';
import { nativeEvent, post, startTestPlatform, type TestApp, type TestPlatform } from './support/test-platform.ts';

/**
 * A retry must never be acknowledged on the strength of a write that has not finished: the
 * log's file handle is made to hang, then fail, under the first copy of an event while its
 * retry arrives.
 */
describe('ingest: retries racing a failing durable write', () => {
  const files = new FaultyFiles();
  let p: TestPlatform;
  let app: TestApp;
  beforeAll(async () => {
    p = await startTestPlatform({}, { openLogForAppend: files.openForAppend });
    app = await p.newApp();
  });
  afterAll(() => p?.close());

  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

  it('a retry arriving while the first write is in flight waits for it, and is accepted when that write fails', async () => {
    const event = nativeEvent();
    const held = files.holdNextWrite();
    files.failNextWrites(1, 'EIO');
    const first = post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    await held.reached; // the first copy is being written right now
    const retry = post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    await new Promise((r) => setTimeout(r, 100));
    held.release(); // ... and that write fails
    const [a, b] = await Promise.all([first, retry]);
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBeTruthy();
    // Today's code answered the retry "duplicate" here, and the event was gone.
    expect(b.status).toBe(202);
    expect(b.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await storedCopies(p, app.id, event.event_id)).toBe(1);
  });

  it('a failed append releases its ids: the client retry after the 503 is accepted, not called a duplicate', async () => {
    const event = nativeEvent();
    files.failNextWrites(1, 'ENOSPC');
    const failed = await post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    expect(failed.status).toBe(503);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(failed.body.error.code).toBe('store_unavailable');
    const retried = await post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ accepted: 1, duplicates: 0 });
    const again = await post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('a retry arriving while the first write is in flight is a duplicate once that write is durable', async () => {
    const event = nativeEvent();
    const held = files.holdNextWrite();
    const first = post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    await held.reached;
    const retry = post(`${p.ingestUrl}/v1/events`, event, basic(app.sdkKey));
    await new Promise((r) => setTimeout(r, 100));
    held.release();
    const [a, b] = await Promise.all([first, retry]);
    expect(a.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(b.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

/** Copies of the id in the event store once the pipeline has caught up. */
async function storedCopies(p: TestPlatform, appId: string, eventId: string): Promise<number> {
  expect(await p.log.drain(10_000)).toBe(true);
  let n = 0;
  for await (const chunk of p.events.recentIds(0))
    n += chunk.filter((id) => idKey(id.app_id, id.event_id) === idKey(appId, eventId)).length;
  return n;
}
