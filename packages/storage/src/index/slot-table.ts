/**
 * An open-addressing hash table from a key to one slot number (an index into a segment's
 * columns), in one Uint32Array: each entry packs the slot (+1, so 0 means empty) in the low
 * SLOT_BITS and an 11-bit fingerprint of the key's hash above it, so a probe rarely has to
 * decode a stored touch to rule a candidate out. Keys themselves are not stored: the caller
 * confirms a candidate (`matches`) and re-hashes one (`hashOf`) when the table grows.
 * Linear probing, load ≤ 0.7: about 5.7–11 bytes per key.
 */
export const SLOT_BITS = 21;
/** Slots 0 … MAX_SLOTS − 1 fit (slot + 1 must stay below 2^SLOT_BITS). */
export const MAX_SLOTS = (1 << SLOT_BITS) - 1;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const MAX_LOAD = 0.7;

export class SlotTable {
  private entries: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(initialSize = 256) {
    let size = 16;
    while (size < initialSize) size *= 2;
    this.entries = new Uint32Array(size);
    this.mask = size - 1;
  }

  get count(): number {
    return this.used;
  }

  get byteLength(): number {
    return this.entries.byteLength;
  }

  /** The slot stored for the key, or -1. */
  get(hash: number, matches: (slot: number) => boolean): number {
    const fp = hash >>> SLOT_BITS;
    for (let pos = hash & this.mask; ; pos = (pos + 1) & this.mask) {
      const entry = this.entries[pos]!;
      if (entry === 0) return -1;
      if (entry >>> SLOT_BITS === fp && matches((entry & SLOT_MASK) - 1)) return (entry & SLOT_MASK) - 1;
    }
  }

  /**
   * Stores `slot` for the key, replacing the slot stored for an equal key; returns the replaced
   * slot or -1. `hashOf` re-hashes stored slots when the table has to grow.
   */
  put(hash: number, slot: number, matches: (slot: number) => boolean, hashOf: (slot: number) => number): number {
    if (slot < 0 || slot >= MAX_SLOTS) throw new RangeError(`slot ${slot} does not fit in ${SLOT_BITS} bits`);
    const fp = hash >>> SLOT_BITS;
    const packed = ((fp << SLOT_BITS) | (slot + 1)) >>> 0;
    for (let pos = hash & this.mask; ; pos = (pos + 1) & this.mask) {
      const entry = this.entries[pos]!;
      if (entry === 0) {
        this.entries[pos] = packed;
        this.used++;
        if (this.used > this.entries.length * MAX_LOAD) this.grow(hashOf);
        return -1;
      }
      if (entry >>> SLOT_BITS === fp && matches((entry & SLOT_MASK) - 1)) {
        this.entries[pos] = packed;
        return (entry & SLOT_MASK) - 1;
      }
    }
  }

  private grow(hashOf: (slot: number) => number): void {
    const old = this.entries;
    this.entries = new Uint32Array(old.length * 2);
    this.mask = this.entries.length - 1;
    for (const entry of old) {
      if (entry === 0) continue;
      const slot = (entry & SLOT_MASK) - 1;
      const hash = hashOf(slot);
      let pos = hash & this.mask;
      while (this.entries[pos] !== 0) pos = (pos + 1) & this.mask;
      this.entries[pos] = (((hash >>> SLOT_BITS) << SLOT_BITS) | (slot + 1)) >>> 0;
    }
  }
}
