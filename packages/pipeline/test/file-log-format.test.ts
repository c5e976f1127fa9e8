import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
