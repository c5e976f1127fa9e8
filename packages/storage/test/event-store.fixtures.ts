import { randomUUID } from 'node:crypto';
import type { AppEvent, IdentityUpdate } from '@unmogrowp/schema';

/** Epoch ms of an ISO-8601 UTC time, so fixtures read like the dates they mean. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad fixture time ${iso}`);
  return ms;
}

/** A fresh app id per test, so tests sharing one store never see each other's rows. */
export function newAppId(): string {
  return `app_${randomUUID()}`;
}

/** A realistic event (~400 bytes as NDJSON) with the given fields changed. */
export function makeEvent(overrides: Partial<AppEvent> = {}): AppEvent {
  const ts = overrides.timestamp ?? at('2024-03-01T10:00:00.000Z');
  return {
    kind: 'event',
    app_id: 'app_1',
    event_id: randomUUID(),
    type: 'event',
    name: 'purchase',
    timestamp: ts,
    received_at: ts + 850,
    device_id: 'dev-1',
    advertising_id: '6D92078A-8246-4BA4-AE5B-76104861E7DC',
    platform: 'ios',
    os_version: '17.4.1',
    model: 'iPhone15,2',
    app_version: '3.12.0',
    locale: 'en_US',
    user_id: 'user-42',
    ip: '203.0.113.7',
    user_agent: 'MyApp/3.12.0 (iPhone; iOS 17.4.1; Scale/3.00)',
    click_id: '',
    install_referrer: null,
    revenue: 0,
    currency: '',
    properties: { screen: 'checkout', items: 2, sku: 'SKU-123' },
    source: 'native',
    ...overrides,
  };
}

export function makeIdentity(overrides: Partial<IdentityUpdate> = {}): IdentityUpdate {
  const ts = overrides.timestamp ?? at('2024-03-01T10:00:00.000Z');
  return {
    kind: 'identity',
    app_id: 'app_1',
    event_id: randomUUID(),
    action: 'identify',
    timestamp: ts,
    received_at: ts + 500,
    device_id: 'dev-1',
    user_id: 'user-42',
    previous_id: '',
    traits: { plan: 'pro' },
    source: 'segment',
    ...overrides,
  };
}
