import { crc32 } from './crc32.ts';
import { decodeFramePayload, type FramePayload } from './frame-payload.ts';

export interface Frame extends FramePayload {
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
    const record = decodeFramePayload(payload.toString('utf8'));
    return record && { ...record, bytes };
  } catch {
    return null;
  }
}
