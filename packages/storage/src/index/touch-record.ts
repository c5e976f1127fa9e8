import { parseIp } from '@unmogrowp/attribution';

/**
 * The per-touch strings that are (nearly) unique to one touch, packed into a byte arena:
 *   flags · touch_id · advertising_id · ip · network_click_id
 * flags: bits 0–1 advertising id (0 none, 1 UUID lower-case, 2 UUID upper-case, 3 text),
 * bits 2–3 ip (0 none, 1 IPv4, 2 IPv6, 3 text), bit 4 network click id present.
 * A UUID takes 16 bytes instead of 36 characters, an IP 4 or 16 bytes; text is a LEB128 length
 * and UTF-8. IPs come back canonical (canonicalIp's spelling), which is how the engine compares them;
 * an advertising id keeps its text, or its case when it is a UUID in one case.
 */
export interface TouchStrings {
  touch_id: string;
  advertising_id: string;
  ip: string;
  network_click_id: string;
}

/**
 * Append-only bytes in 1 MiB chunks: growing never copies, and the last chunk wastes at most
 * 1 MiB. An offset is chunk × 2^20 + position; a record never spans chunks (one larger than a
 * chunk gets a chunk of its own), so a Uint32 offset addresses 4 GiB.
 */
const CHUNK_BITS = 20;
const CHUNK_BYTES = 1 << CHUNK_BITS;
const POSITION_MASK = CHUNK_BYTES - 1;

/** Where touch strings are written and read: a segment's arena, or one record's own buffer. */
export interface RecordBytes {
  reserve(bytes: number): { buf: Buffer; at: number };
  commit(start: number, end: number): number;
  bufferAt(offset: number): Buffer;
}

/** One record in a buffer of its own, at offset 0 (the Redis index stores records one by one). */
export class SingleRecord implements RecordBytes {
  buf: Buffer = Buffer.alloc(0);
  end = 0;

  /** Reads a record held in `buf` from position `at`. */
  static of(buf: Buffer, at: number): SingleRecord {
    const r = new SingleRecord();
    r.buf = at === 0 ? buf : buf.subarray(at);
    return r;
  }

  reserve(bytes: number): { buf: Buffer; at: number } {
    this.buf = Buffer.allocUnsafe(bytes);
    return { buf: this.buf, at: 0 };
  }

  commit(_start: number, end: number): number {
    this.end = end;
    return 0;
  }

  bufferAt(): Buffer {
    return this.buf;
  }
}

export class ByteArena implements RecordBytes {
  private readonly chunks: Buffer[] = [];
  private current: Buffer | null = null;
  private used = 0;

  /** Room for a record of `bytes`; returns the buffer and position to write it at. Call `commit` after writing. */
  reserve(bytes: number): { buf: Buffer; at: number } {
    if (this.current === null || this.used + bytes > this.current.length) {
      if (this.chunks.length >= 2 ** (32 - CHUNK_BITS)) throw new RangeError('a segment arena holds at most 4 GiB');
      this.current = Buffer.allocUnsafeSlow(Math.max(bytes, CHUNK_BYTES));
      this.chunks.push(this.current);
      this.used = 0;
    }
    return { buf: this.current, at: this.used };
  }

  /** Marks bytes up to `end` of the current chunk as written; returns the record's offset. */
  commit(start: number, end: number): number {
    this.used = end;
    return (this.chunks.length - 1) * CHUNK_BYTES + start;
  }

  bufferAt(offset: number): Buffer {
    return this.chunks[Math.floor(offset / CHUNK_BYTES)]!;
  }

  static position(offset: number): number {
    return offset & POSITION_MASK;
  }

  /** Bytes held, the unwritten tail of the last chunk included. */
  get byteLength(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  /** Gives back the unwritten tail of the last chunk (a sealed segment writes no more). */
  trim(): void {
    if (this.current === null || this.used === this.current.length) return;
    const exact = Buffer.allocUnsafeSlow(Math.max(this.used, 1));
    this.current.copy(exact, 0, 0, this.used);
    this.chunks[this.chunks.length - 1] = exact;
    this.current = exact;
  }
}

const AD_UUID_LOWER = 1;
const AD_UUID_UPPER = 2;
const AD_TEXT = 3;
const IP_V4 = 1;
const IP_V6 = 2;
const IP_TEXT = 3;
const HAS_NETWORK_CLICK_ID = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const UUID_DASH_AFTER = new Set([3, 5, 7, 9]);

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[at++] = n;
  return at;
}

/** Appends the record; returns its offset. */
export function writeTouchStrings(arena: RecordBytes, s: TouchStrings): number {
  const touchLen = Buffer.byteLength(s.touch_id);
  const adKind =
    s.advertising_id === '' ? 0 : UUID.test(s.advertising_id) ? AD_UUID_LOWER : UUID_UPPER.test(s.advertising_id) ? AD_UUID_UPPER : AD_TEXT;
  const adLen = adKind === AD_TEXT ? Buffer.byteLength(s.advertising_id) : 0;
  const ipBytes = s.ip === '' ? null : parseIp(s.ip);
  const ipKind = s.ip === '' ? 0 : ipBytes === null ? IP_TEXT : ipBytes.length === 4 ? IP_V4 : IP_V6;
  // Text that is no IP is kept as canonicalIp spells it: trimmed, lower-cased.
  const ipText = ipKind === IP_TEXT ? s.ip.trim().toLowerCase() : '';
  const ipLen = Buffer.byteLength(ipText);
  const ncLen = Buffer.byteLength(s.network_click_id);

  const size =
    1 +
    varintSize(touchLen) +
    touchLen +
    (adKind === AD_TEXT ? varintSize(adLen) + adLen : adKind === 0 ? 0 : 16) +
    (ipKind === IP_TEXT ? varintSize(ipLen) + ipLen : ipKind === 0 ? 0 : ipBytes!.length) +
    (ncLen > 0 ? varintSize(ncLen) + ncLen : 0);
  const { buf, at: start } = arena.reserve(size);
  let at = start;
  buf[at++] = adKind | (ipKind << 2) | (ncLen > 0 ? HAS_NETWORK_CLICK_ID : 0);
  at = writeVarint(buf, at, touchLen);
  at += buf.write(s.touch_id, at, 'utf8');
  if (adKind === AD_TEXT) {
    at = writeVarint(buf, at, adLen);
    at += buf.write(s.advertising_id, at, 'utf8');
  } else if (adKind !== 0) {
    at += buf.write(s.advertising_id.replaceAll('-', ''), at, 'hex');
  }
  if (ipKind === IP_TEXT) {
    at = writeVarint(buf, at, ipLen);
    at += buf.write(ipText, at, 'utf8');
  } else if (ipBytes) {
    buf.set(ipBytes, at);
    at += ipBytes.length;
  }
  if (ncLen > 0) {
    at = writeVarint(buf, at, ncLen);
    at += buf.write(s.network_click_id, at, 'utf8');
  }
  return arena.commit(start, at);
}

/** Reads a record field by field; each read* moves past its field. */
class Cursor {
  at: number;
  readonly flags: number;
  private readonly buf: Buffer;
  constructor(arena: RecordBytes, offset: number) {
    this.buf = arena.bufferAt(offset);
    const at = ByteArena.position(offset);
    this.flags = this.buf[at]!;
    this.at = at + 1;
  }

  private varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  skipText(): void {
    const len = this.varint();
    this.at += len;
  }

  skipAdvertisingId(): void {
    const kind = this.flags & 3;
    if (kind === AD_TEXT) this.skipText();
    else if (kind !== 0) this.at += 16;
  }

  text(): string {
    const len = this.varint();
    const out = this.buf.toString('utf8', this.at, this.at + len);
    this.at += len;
    return out;
  }

  advertisingId(): string {
    const kind = this.flags & 3;
    if (kind === 0) return '';
    if (kind === AD_TEXT) return this.text();
    let out = '';
    for (let i = 0; i < 16; i++) {
      out += HEX[this.buf[this.at + i]!];
      if (UUID_DASH_AFTER.has(i)) out += '-';
    }
    this.at += 16;
    return kind === AD_UUID_UPPER ? out.toUpperCase() : out;
  }

  ip(): string {
    const kind = (this.flags >> 2) & 3;
    if (kind === 0) return '';
    if (kind === IP_TEXT) return this.text();
    const b = this.buf;
    const at = this.at;
    if (kind === IP_V4) {
      this.at += 4;
      return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
    }
    this.at += 16;
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[at + i]! << 8) | b[at + i + 1]!).toString(16));
    return groups.join(':');
  }

  networkClickId(): string {
    return this.flags & HAS_NETWORK_CLICK_ID ? this.text() : '';
  }
}

export function readTouchStrings(arena: RecordBytes, offset: number): TouchStrings {
  const c = new Cursor(arena, offset);
  const touch_id = c.text();
  const advertising_id = c.advertisingId();
  const ip = c.ip();
  return { touch_id, advertising_id, ip, network_click_id: c.networkClickId() };
}

export function readTouchId(arena: RecordBytes, offset: number): string {
  return new Cursor(arena, offset).text();
}

export function readAdvertisingId(arena: RecordBytes, offset: number): string {
  const c = new Cursor(arena, offset);
  c.skipText();
  return c.advertisingId();
}

export function readIp(arena: RecordBytes, offset: number): string {
  const c = new Cursor(arena, offset);
  c.skipText();
  c.skipAdvertisingId();
  return c.ip();
}
