import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/log/crc32.ts';

function reference(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with the bitwise definition at every length and alignment', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff));
    for (let start = 0; start < 8; start++) {
      for (let len = 0; len < 40; len++)
        expect(crc32(data.subarray(start, start + len))).toBe(reference(data.subarray(start, start + len)));
    }
    expect(crc32(data)).toBe(reference(data));
  });
});
