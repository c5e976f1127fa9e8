import { canonicalIp } from '@unmogrowp/attribution';
import { describe, expect, it } from 'vitest';
import { ByteArena, readAdvertisingId, readIp, readTouchId, readTouchStrings, writeTouchStrings } from '../src/index/touch-record.ts';

describe('touch record codec', () => {
  it('starts a new chunk when a record does not fit, and gives an oversized record a chunk of its own', () => {
    const arena = new ByteArena();
    const big = { touch_id: 'big', advertising_id: '', ip: '', network_click_id: 'z'.repeat(600_000) };
    const a = writeTouchStrings(arena, big);
    const b = writeTouchStrings(arena, big);
    const huge = { ...big, network_click_id: 'h'.repeat(1_500_000) };
    const c = writeTouchStrings(arena, huge);
    const d = writeTouchStrings(arena, { ...big, network_click_id: 'small' });
    expect([a, b, c, d]).toEqual([0, 1 << 20, 2 << 20, 3 << 20]);
    expect(readTouchStrings(arena, b)).toEqual(big);
    expect(readTouchStrings(arena, c).network_click_id).toHaveLength(1_500_000);
    expect(readTouchStrings(arena, d).network_click_id).toBe('small');
  });

  it('round-trips the strings of a touch, IPs in canonical spelling', () => {
    const arena = new ByteArena();
    const cases = [
      { touch_id: 'clk_1', advertising_id: '6D92078A-8246-4BA4-AE5B-76104861E7DC', ip: '203.0.113.9', network_click_id: '' },
      {
        touch_id: 'clk_2',
        advertising_id: '6d92078a-8246-4ba4-ae5b-76104861e7dc',
        ip: '2001:DB8::1',
        network_click_id: 'n'.repeat(20_000),
      },
      { touch_id: 'ü-日本', advertising_id: '6D92078a-8246-4BA4-AE5B-76104861E7DC', ip: '::ffff:1.2.3.4', network_click_id: '🚀' },
      { touch_id: '', advertising_id: '', ip: '', network_click_id: '' },
      { touch_id: 'x'.repeat(200), advertising_id: 'gaid-not-uuid', ip: ' Unknown ', network_click_id: 'abc' },
      { touch_id: 'v6', advertising_id: '', ip: 'fe80::1%eth0', network_click_id: '' },
    ];
    const offsets = cases.map((c) => writeTouchStrings(arena, c));
    arena.trim();
    cases.forEach((c, i) => {
      const want = { ...c, ip: canonicalIp(c.ip) };
      expect(readTouchStrings(arena, offsets[i]!)).toEqual(want);
      expect(readTouchId(arena, offsets[i]!)).toBe(c.touch_id);
      expect(readAdvertisingId(arena, offsets[i]!)).toBe(c.advertising_id);
      expect(readIp(arena, offsets[i]!)).toBe(want.ip);
    });
  });

  it('stores a UUID advertising id and an IPv4 address as bytes', () => {
    const arena = new ByteArena();
    const first = writeTouchStrings(arena, {
      touch_id: 'abcd',
      advertising_id: '6d92078a-8246-4ba4-ae5b-76104861e7dc',
      ip: '1.2.3.4',
      network_click_id: '',
    });
    const second = writeTouchStrings(arena, { touch_id: '', advertising_id: '', ip: '', network_click_id: '' });
    // flags + length + 4 + 16 + 4
    expect(second - first).toBe(1 + 1 + 4 + 16 + 4);
    arena.trim();
    expect(arena.byteLength).toBe(1 + 1 + 4 + 16 + 4 + 2);
  });
});
