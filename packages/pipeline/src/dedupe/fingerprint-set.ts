/**
 * A set of 64-bit fingerprints of strings in two typed arrays (open addressing, linear
 * probing): 16 bytes per key at the worst load factor, against ~200 for a `Set<string>` of
 * event ids, and no string kept alive for the garbage collector to walk.
 *
 * Two different keys share a fingerprint with probability ~n²/2⁶⁵ (about 3·10⁻⁶ for 10M keys):
 * the cost is one event wrongly called a duplicate, accepted for a dedupe index.
 */
const EMPTY_HI = 0;
const TOMBSTONE_LO = 1; // (0, 1) marks a released key; real fingerprints never have hi = 0

export function fingerprint(key: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return [fmix(h1) || 1, fmix(h2 ^ key.length)];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used = 0; // live keys + tombstones: what the load factor counts
  private live = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
  }

  get size(): number {
    return this.live;
  }

  /** Bytes held by the table, for metrics and docs. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength;
  }

  has(hi: number, lo: number): boolean {
    return this.slot(hi, lo) >= 0;
  }

  /** Adds; false if it was there already. */
  add(hi: number, lo: number): boolean {
    if (this.has(hi, lo)) return false;
    if ((this.used + 1) * 2 > this.hi.length) this.resize(this.live * 2 + 2 > this.hi.length ? this.hi.length * 2 : this.hi.length);
    const mask = this.hi.length - 1;
    let i = lo & mask;
    while (this.hi[i] !== EMPTY_HI) i = (i + 1) & mask;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.used++;
    this.live++;
    return true;
  }

  delete(hi: number, lo: number): boolean {
    const i = this.slot(hi, lo);
    if (i < 0) return false;
    this.hi[i] = EMPTY_HI;
    this.lo[i] = TOMBSTONE_LO;
    this.live--;
    return true;
  }

  private slot(hi: number, lo: number): number {
    const mask = this.hi.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = this.hi[i]!;
      if (h === hi && this.lo[i] === lo) return i;
      if (h === EMPTY_HI && this.lo[i] !== TOMBSTONE_LO) return -1;
    }
  }

  private resize(capacity: number): void {
    const [oldHi, oldLo] = [this.hi, this.lo];
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = 0;
    this.live = 0;
    for (let i = 0; i < oldHi.length; i++) if (oldHi[i] !== EMPTY_HI) this.add(oldHi[i]!, oldLo[i]!);
  }
}
