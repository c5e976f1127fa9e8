import type { IngestItem } from '@unmogrowp/schema';
import { crc32 } from './crc32.ts';

export interface Frame {
  seq: number;
  items: IngestItem[];
  bytes: number;
}

/**
 * Parses frames up to the first incomplete or corrupt one; `validBytes` is where that one
 * starts. A frame whose CRC matches but whose payload does not parse counts as corrupt too:
 * reading a log never throws.
 */
export function readSegment(buf: Buffer): { frames: Frame[]; validBytes: number; totalBytes: number } {
  const frames: Frame[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const length = buf.readUInt32LE(off);
    const end = off + 8 + length;
    if (end > buf.length) break;
    const payload = buf.subarray(off + 8, end);
    if (crc32(payload) !== buf.readUInt32LE(off + 4)) break;
    const frame = parsePayload(payload, end - off);
    if (!frame) break;
    frames.push(frame);
    off = end;
  }
  return { frames, validBytes: off, totalBytes: buf.length };
}

function parsePayload(payload: Buffer, bytes: number): Frame | null {
  try {
    const { s, i } = JSON.parse(payload.toString('utf8')) as { s: number; i: IngestItem[] };
    return Number.isSafeInteger(s) && Array.isArray(i) ? { seq: s, items: i, bytes } : null;
  } catch {
    return null;
  }
}
