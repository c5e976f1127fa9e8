import { ANDROID_GAID_SHARE, ANDROID_PHONES, IOS_IDFA_SHARE, IPHONES, LOCALES, userAgentOf } from './catalog.ts';
import type { Device } from './plan-types.ts';
import type { Random } from './random.ts';

/** The device farm's range: the demo puts it on the app's block list (fraud rule `blocked_ip`). */
export const FARM_CIDR = '203.0.113.0/24';
/** Where click floods come from. */
const FLOOD_PREFIX = '198.51.100.';

/**
 * Makes the people of the demo: phones, addresses and ids. Every address is handed out once
 * (a bijection of a counter), so no two strangers share an IP and an install is never tied by
 * chance to someone else's click; only the planner pairs a click and an install on purpose.
 */
export class World {
  private ipCounter = 0;
  private readonly ipSalt: number;
  private readonly counters = new Map<string, number>();

  constructor(readonly random: Random) {
    this.ipSalt = Math.floor(random.next() * 0xffffffff) >>> 0;
  }

  /** A public-looking IPv4 address nobody else in the demo has. */
  ip(): string {
    for (;;) {
      const n = (Math.imul(this.ipCounter++ + 1, 2654435761) ^ this.ipSalt) >>> 0;
      const a = n >>> 24;
      const b = (n >>> 16) & 255;
      const c = (n >>> 8) & 255;
      if (isReserved(a, b, c)) continue;
      return `${a}.${b}.${c}.${n & 255}`;
    }
  }

  farmIp(): string {
    return `203.0.113.${this.random.int(1, 254)}`;
  }

  /** The n-th flood's address: one per flood, so two floods never add up in one hour. */
  floodIp(n: number): string {
    return `${FLOOD_PREFIX}${10 + (n % 240)}`;
  }

  /** `prefix_<counter>`: stable across runs of the same seed, unique within the app. */
  id(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}_${n.toString(36).padStart(5, '0')}`;
  }

  device(platform: 'ios' | 'android', options: { withAdvertisingId?: boolean; ip?: string } = {}): Device {
    const phone = this.random.pick(platform === 'ios' ? IPHONES : ANDROID_PHONES);
    const tracked = options.withAdvertisingId ?? this.random.chance(platform === 'ios' ? IOS_IDFA_SHARE : ANDROID_GAID_SHARE);
    return {
      id: this.random.uuid(),
      platform,
      os_version: phone.os_version,
      model: phone.model,
      locale: this.random.pick(LOCALES),
      advertising_id: tracked ? this.random.uuid() : '',
      ip: options.ip ?? this.ip(),
      user_agent: userAgentOf(platform, phone),
    };
  }

  /** Someone who sees or clicks an ad and never installs: a phone nobody else in the demo has. */
  stranger(androidShare: number): { ip: string; user_agent: string; advertising_id: string } {
    const platform = this.random.chance(androidShare) ? 'android' : 'ios';
    const phone = this.random.pick(platform === 'ios' ? IPHONES : ANDROID_PHONES);
    return {
      ip: this.ip(),
      user_agent: userAgentOf(platform, phone),
      advertising_id: this.random.chance(0.5) ? this.random.uuid() : '',
    };
  }
}

/** Private, loopback, link-local, multicast and documentation ranges (the latter two are the demo's own). */
function isReserved(a: number, b: number, c: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return true;
  if (a === 169 && b === 254) return true;
  if (a === 172 && b >= 16 && b <= 31) return true;
  if (a === 192 && (b === 168 || (b === 0 && c === 2))) return true;
  if (a === 198 && b === 51 && c === 100) return true;
  if (a === 203 && b === 0 && c === 113) return true;
  return a === 100 && b >= 64 && b <= 127;
}
