import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppEvent } from '@unmogrowp/schema';
import { encodeEventRowPrefix } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../src/log/event-log.ts';
import { openFileLog } from '../src/log/file-log.ts';
import type { LogRecoveryNotice } from '../src/log/log-recovery.ts';

/**
 * The frame format on disk is a promise to every data directory already out there: a segment
 * written by an older release must replay after an upgrade. The bytes below are a frame as the
 * release with the hand-written CRC-32 wrote it (its checksum copied from that code's output),
 * not made by the code under test.
 */
const PAYLOAD = '{"s":7,"i":[{"kind":"event","app_id":"app_1","event_id":"old-1","name":"purchase ✓"}]}';
const CRC_WRITTEN_BY_THE_OLD_CODE = 0x98675a25;

function oldFrame(): Buffer {
  const payload = Buffer.from(PAYLOAD);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(CRC_WRITTEN_BY_THE_OLD_CODE, 4);
  return Buffer.concat([header, payload]);
}

describe('file event log: segments written by an earlier release', () => {
  it('replays a frame whose checksum the hand-written CRC-32 made, and appends after it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-log-format-'));
    await writeFile(path.join(dir, `${'7'.padStart(20, '0')}.seg`), oldFrame());
    const notices: LogRecoveryNotice[] = [];
    const log = await openFileLog({ dir, onRecovery: (n) => notices.push(n) });
    expect(notices).toEqual([]);
    expect(log.unconsumed().map((r) => [r.seq, r.items[0]!.event_id, r.replayed])).toEqual([[7, 'old-1', true]]);
    expect(await log.append([{ ...log.unconsumed()[0]!.items[0]!, event_id: 'new-1' }])).toBe(8);
    await log.close();
    const reopened = await openFileLog({ dir, onRecovery: (n) => notices.push(n) });
    expect(notices).toEqual([]);
    expect(reopened.unconsumed().map((r) => r.items[0]!.event_id)).toEqual(['old-1', 'new-1']);
    await reopened.close();
  });

  it('hands the consumer each event with the row prefix its frame holds, fresh and after a restart; an old frame has none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-log-format-'));
    await writeFile(path.join(dir, `${'7'.padStart(20, '0')}.seg`), oldFrame());
    const log = await openFileLog({ dir, minBatchIntervalMs: 0 });
    const fresh: AppEvent = {
      ...(log.unconsumed()[0]!.items[0] as AppEvent),
      event_id: 'new-1',
      type: 'event',
      timestamp: 1_700_000_000_000,
      received_at: 1_700_000_000_001,
      device_id: 'd1',
      advertising_id: '',
      platform: 'ios',
      os_version: '17',
      model: '',
      app_version: '',
      locale: '',
      user_id: '',
      ip: '10.0.0.1',
      user_agent: '',
      click_id: '',
      install_referrer: null,
      revenue: 0,
      currency: '',
      properties: { a: 1 },
      source: 'native',
    };
    await log.append([fresh]);
    const seen: LogRecord[] = [];
    log.consume(async (records) => {
      seen.push(...records);
    });
    await log.drain(2000);
    expect(seen.map((r) => r.rows?.[0])).toEqual([undefined, encodeEventRowPrefix(fresh)]);
    expect(seen[1]!.items[0]).toBe(fresh);
    await log.close();

    const dir2 = await mkdtemp(path.join(tmpdir(), 'unmogrowp-log-format-'));
    const first = await openFileLog({ dir: dir2 });
    await first.append([fresh]);
    await first.close();
    const reopened = await openFileLog({ dir: dir2 });
    const [record] = reopened.unconsumed();
    expect(record!.rows).toEqual([encodeEventRowPrefix(fresh)]);
    expect(record!.items).toEqual([fresh]);
    await reopened.close();
  });
});
