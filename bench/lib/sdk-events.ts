import type { AppEvent } from '@unmogrowp/schema';

/**
 * The n-th of a stream of ~400-byte events as an SDK sends them, spread over one day
 * (2024-03-01) and 10k devices, one in ten a purchase; `id` must be unique per event.
 */
export function sdkEvent(app: string, n: number, id: string): AppEvent {
  const ts = Date.UTC(2024, 2, 1) + ((n * 7919) % 86_400_000);
  return {
    kind: 'event',
    app_id: app,
    event_id: id,
    type: 'event',
    name: n % 10 === 0 ? 'purchase' : 'level_complete',
    timestamp: ts,
    received_at: ts + 850,
    device_id: `device-${n % 10_000}`,
    advertising_id: '6D92078A-8246-4BA4-AE5B-76104861E7DC',
    platform: n % 2 ? 'ios' : 'android',
    os_version: '17.4.1',
    model: 'iPhone15,2',
    app_version: '3.12.0',
    locale: 'en_US',
    user_id: `user-${n % 10_000}`,
    ip: '203.0.113.7',
    user_agent: 'MyApp/3.12.0 (iPhone; iOS 17.4.1; Scale/3.00)',
    click_id: '',
    install_referrer: null,
    revenue: n % 10 === 0 ? 4.99 : 0,
    currency: n % 10 === 0 ? 'USD' : '',
    properties: { level: n % 50, score: n % 997 },
    source: 'native',
  };
}
