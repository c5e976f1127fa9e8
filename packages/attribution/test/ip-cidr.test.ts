import { describe, expect, it } from 'vitest';
import { canonicalIp, compileCidrs, ipInCidr, ipInCidrSet, parseCidr, parseIp } from '../src/index.ts';

describe('parseIp', () => {
  const valid: [string, string][] = [
    ['1.2.3.4', '1.2.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8:0:0:1:0:0:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['[2001:db8::2]', '2001:db8:0:0:0:0:0:2'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::ffff:c000:0201', '192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0:0:0:c000:221'],
    ['1::', '1:0:0:0:0:0:0:0'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['0:0:0:0:0:ffff:192.0.2.1', '192.0.2.1'],
    // Only ::ffff:a.b.c.d is IPv4 behind IPv6; anything else with an IPv4 tail stays IPv6.
    ['1::ffff:1.2.3.4', '1:0:0:0:0:ffff:102:304'],
    ['::ff:1.2.3.4', '0:0:0:0:0:ff:102:304'],
    ['::ff00:1.2.3.4', '0:0:0:0:0:ff00:102:304'],
    ['::1.2.3.4', '0:0:0:0:0:0:102:304'],
  ];
  it.each(valid)('%s → %s', (input, canonical) => {
    expect(parseIp(input)).not.toBeNull();
    expect(canonicalIp(input)).toBe(canonical);
  });

  const invalid = [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    '1::2::3',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1.2.3.4::',
    '::1.2.3',
    'example.com',
    '1:2:3:4:5:6:7::8',
    '1.2.3.4:1:2:3:4:5:6',
    '[2001:db8::2',
    '2001:db8::2]',
  ];
  it.each(invalid)('refuses %j', (input) => {
    expect(parseIp(input)).toBeNull();
  });

  it('keeps non-IP text as a trimmed lower-case key', () => {
    expect(canonicalIp(' Unknown ')).toBe('unknown');
  });
});

describe('CIDR matching', () => {
  const table: [string, string, boolean][] = [
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.0.0.0', '10.0.0.0/8', false],
    ['192.168.1.127', '192.168.1.0/25', true],
    ['192.168.1.128', '192.168.1.0/25', false],
    ['192.168.1.1', '192.168.1.1', true],
    ['192.168.1.2', '192.168.1.1', false],
    ['203.0.113.9', '203.0.113.8/29', true],
    ['203.0.113.7', '203.0.113.8/29', false],
    ['8.8.8.8', '0.0.0.0/0', true],
    ['10.255.255.255', '10.1.2.3/8', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db8:ffff:ffff::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['2001:db8:abcd:0012::1', '2001:db8:abcd:10::/60', true],
    ['2001:db8:abcd:0020::1', '2001:db8:abcd:10::/60', false],
    ['::1', '::1/128', true],
    ['::2', '::1/128', false],
    ['2001:db8::1', '0.0.0.0/0', false],
    ['10.0.0.1', '2001:db8::/32', false],
    ['::ffff:10.0.0.1', '10.0.0.0/8', true],
    ['10.0.0.1', '::ffff:10.0.0.0/104', true],
    ['10.0.0.1', '::ffff:11.0.0.0/104', false],
    ['10.0.0.1', '::/0', true],
    ['not-an-ip', '0.0.0.0/0', false],
  ];
  it.each(table)('%s in %s → %s', (ip, cidr, inside) => {
    expect(ipInCidr(ip, cidr)).toBe(inside);
    expect(ipInCidrSet(ip, [cidr])).toBe(inside);
    expect(ipInCidrSet(ip, compileCidrs([cidr]))).toBe(inside);
  });

  it('refuses malformed ranges', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/-1', '2001:db8::/129', '10.0.0.0/8/8', 'x/8', '10.0.0.0/a']) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });

  it('a malformed range contains no address, and a parsed one answers like its text', () => {
    expect(ipInCidr('10.0.0.1', 'garbage')).toBe(false);
    expect(ipInCidr('10.0.0.1', '10.0.0.0/33')).toBe(false);
    expect(ipInCidr('10.0.0.1', parseCidr('10.0.0.0/8')!)).toBe(true);
    expect(ipInCidr('11.0.0.1', parseCidr('10.0.0.0/8')!)).toBe(false);
  });

  it('an address in any one range of a list is in the list', () => {
    const list = ['192.168.0.0/16', '10.0.0.0/8', '2001:db8::/32'];
    for (const set of [list, compileCidrs(list)]) {
      expect(ipInCidrSet('10.0.0.1', set)).toBe(true);
      expect(ipInCidrSet('192.168.3.4', set)).toBe(true);
      expect(ipInCidrSet('2001:db8::5', set)).toBe(true);
      expect(ipInCidrSet('172.16.0.1', set)).toBe(false);
    }
    expect(ipInCidrSet('10.0.0.1', [])).toBe(false);
  });

  it('skips malformed entries in a list and still matches the good ones', () => {
    const set = compileCidrs(['garbage', '10.0.0.0/8']);
    expect(set.cidrs).toHaveLength(1);
    expect(ipInCidrSet('10.9.9.9', set)).toBe(true);
  });

  it('agrees with a byte-wise reference on random IPv4 ranges', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const ip = next();
      const net = next();
      const prefix = next() % 33;
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const text = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
      const expected = (ip & mask) >>> 0 === (net & mask) >>> 0;
      expect(ipInCidr(text(ip), `${text(net)}/${prefix}`)).toBe(expected);
      // And a range that certainly contains the address.
      expect(ipInCidr(text(ip), `${text((ip & mask) >>> 0)}/${prefix}`)).toBe(true);
    }
  });
});
