import { describe, expect, it } from 'vitest';
import { compileCidrs, refusedTargetReason } from '../src/index.ts';

const NONE = compileCidrs([]);

describe('refusedTargetReason (where a postback may not go)', () => {
  it.each([
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'cloud metadata'],
    ['192.0.0.8', 'IETF protocol'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b:1::1', 'translation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
  ])('%s is refused as %s', (ip, why) => {
    expect(refusedTargetReason(ip, NONE)).toContain(why);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '1.1.1.1', '2001:4860:4860::8888', '64:ff9b::808:808'])(
    '%s, a public address, may be reached',
    (ip) => {
      expect(refusedTargetReason(ip, NONE)).toBeNull();
    },
  );

  it("the operator's allowed ranges open exactly those addresses", () => {
    const allowed = compileCidrs(['10.1.0.0/16', '::1/128']);
    expect(refusedTargetReason('10.1.2.3', allowed)).toBeNull();
    expect(refusedTargetReason('::1', allowed)).toBeNull();
    expect(refusedTargetReason('10.2.0.1', allowed)).toContain('private');
    expect(refusedTargetReason('127.0.0.1', allowed)).toContain('loopback');
  });
});
