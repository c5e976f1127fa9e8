import { describe, expect, it } from 'vitest';
import { meaningOf, normalizeSkanSettings, SkanSettingsError } from '../src/index.ts';

function refusal(input: unknown): { field: string; message: string } | null {
  try {
    normalizeSkanSettings(input);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(SkanSettingsError);
    expect((err as Error).name).toBe('SkanSettingsError');
    return { field: (err as SkanSettingsError).field, message: (err as Error).message };
  }
}

describe('normalizeSkanSettings', () => {
  it('an empty document is the defaults', () => {
    expect(normalizeSkanSettings({})).toEqual({ currency: 'USD', windows: {}, networks: {}, campaigns: {} });
  });

  it('writes what it keeps one way: network ids in lower case, names trimmed, fine values without leading zeros', () => {
    expect(
      normalizeSkanSettings({
        currency: 'EUR',
        networks: { 'ABC.SkAdNetwork': '  mine ' },
        campaigns: { ' mine ': { '12': ' Spring ', '1234': 'Autumn' } },
        windows: {
          '0': {
            fine: { '05': { revenue_min: 1, revenue_max: 1, events: [' purchase '] }, '63': {} },
            coarse: { high: { revenue_max: 0 } },
          },
          '2': { coarse: { low: { revenue_min: null, revenue_max: 1e9 } } },
        },
      }),
    ).toEqual({
      currency: 'EUR',
      networks: { 'abc.skadnetwork': 'mine' },
      campaigns: { mine: { '12': 'Spring', '1234': 'Autumn' } },
      windows: {
        '0': { fine: { '5': { revenue_min: 1, revenue_max: 1, events: ['purchase'] }, '63': {} }, coarse: { high: { revenue_max: 0 } } },
        '2': { coarse: { low: { revenue_max: 1e9 } } },
      },
    });
  });

  it.each([
    [null, 'settings', 'settings must be a JSON object.'],
    [[], 'settings', 'settings must be a JSON object.'],
    [{ currency: 'usd' }, 'currency', 'currency must be an ISO 4217 code such as USD.'],
    [{ currency: 978 }, 'currency', 'currency must be an ISO 4217 code such as USD.'],
    [{ windows: [] }, 'windows', 'windows must be a JSON object.'],
    [{ windows: { '3': {} } }, 'windows.3', 'windows are 0, 1 and 2.'],
    [{ windows: { '0': 'x' } }, 'windows.0', 'windows.0 must be a JSON object.'],
    [{ windows: { '1': { fine: {} } } }, 'windows.1.fine', 'Apple sends fine values in the first window only.'],
    [{ windows: { '0': { fine: { '64': {} } } } }, 'windows.0.fine.64', 'Fine values are 0 to 63.'],
    [{ windows: { '0': { fine: { '100': {} } } } }, 'windows.0.fine.100', 'Fine values are 0 to 63.'],
    [{ windows: { '0': { fine: { '-1': {} } } } }, 'windows.0.fine.-1', 'Fine values are 0 to 63.'],
    [{ windows: { '0': { fine: { a: {} } } } }, 'windows.0.fine.a', 'Fine values are 0 to 63.'],
    [{ windows: { '0': { coarse: { LOW: {} } } } }, 'windows.0.coarse.LOW', 'Coarse values are low, medium and high.'],
    [{ windows: { '0': { coarse: { low: null } } } }, 'windows.0.coarse.low', 'windows.0.coarse.low must be a JSON object.'],
    [
      { windows: { '0': { coarse: { low: { revenue_min: -0.01 } } } } },
      'windows.0.coarse.low.revenue_min',
      'revenue_min must be a number from 0 to 1e9.',
    ],
    [
      { windows: { '0': { coarse: { low: { revenue_max: 1e9 + 1 } } } } },
      'windows.0.coarse.low.revenue_max',
      'revenue_max must be a number from 0 to 1e9.',
    ],
    [
      { windows: { '0': { coarse: { low: { revenue_max: Number.POSITIVE_INFINITY } } } } },
      'windows.0.coarse.low.revenue_max',
      'revenue_max must be a number from 0 to 1e9.',
    ],
    [
      { windows: { '0': { coarse: { low: { revenue_min: '5' } } } } },
      'windows.0.coarse.low.revenue_min',
      'revenue_min must be a number from 0 to 1e9.',
    ],
    [
      { windows: { '0': { coarse: { low: { revenue_min: 5, revenue_max: 4.99 } } } } },
      'windows.0.coarse.low.revenue_max',
      'revenue_max must not be below revenue_min.',
    ],
    [
      { windows: { '0': { coarse: { low: { events: 'purchase' } } } } },
      'windows.0.coarse.low.events',
      'events must be a list of at most 20 names.',
    ],
    [
      { windows: { '0': { coarse: { low: { events: Array(21).fill('e') } } } } },
      'windows.0.coarse.low.events',
      'events must be a list of at most 20 names.',
    ],
    [
      { windows: { '0': { coarse: { low: { events: ['ok', '  '] } } } } },
      'windows.0.coarse.low.events.1',
      'windows.0.coarse.low.events.1 must be a name of 1 to 100 characters.',
    ],
    [{ networks: { '': 'mine' } }, 'networks', 'An ad network id must be 1 to 200 characters.'],
    [{ networks: { ['x'.repeat(201)]: 'mine' } }, 'networks', 'An ad network id must be 1 to 200 characters.'],
    [{ networks: { 'net.a': 'x'.repeat(101) } }, 'networks.net.a', 'networks.net.a must be a name of 1 to 100 characters.'],
    [{ networks: { 'net.a': 7 } }, 'networks.net.a', 'networks.net.a must be a name of 1 to 100 characters.'],
    [{ campaigns: { mine: { '1': 'c' } } }, 'campaigns.mine.1', 'A source identifier is 2 to 4 digits.'],
    [{ campaigns: { mine: { '12a': 'c' } } }, 'campaigns.mine.12a', 'A source identifier is 2 to 4 digits.'],
    [{ campaigns: { mine: [] } }, 'campaigns.mine', 'campaigns.mine must be a JSON object.'],
    [{ campaigns: { ' ': {} } }, 'campaigns', 'campaigns must be a name of 1 to 100 characters.'],
  ])('%j → %s', (input, field, message) => {
    expect(refusal(input)).toEqual({ field, message });
  });

  it('takes the limits themselves', () => {
    expect(
      refusal({
        networks: { ['x'.repeat(200)]: 'n'.repeat(100) },
        windows: { '0': { fine: { '0': { revenue_min: 0, revenue_max: 1e9, events: Array(20).fill('e') } } } },
      }),
    ).toBeNull();
  });
});

describe('meaningOf', () => {
  const settings = normalizeSkanSettings({
    windows: {
      '0': {
        fine: { '5': { revenue_min: 2, revenue_max: 6, events: ['purchase', 'signup'] } },
        coarse: { low: { revenue_max: 1 }, high: { events: ['vip'] } },
      },
      '1': { coarse: { medium: { revenue_min: 3 } } },
    },
  });

  it('estimates revenue as the middle of the range, else whichever end is set', () => {
    expect(meaningOf(settings, 0, 5, null)).toEqual({ revenue: 4, events: ['purchase', 'signup'] });
    expect(meaningOf(settings, 0, null, 'low')).toEqual({ revenue: 1, events: [] });
    expect(meaningOf(settings, 1, null, 'medium')).toEqual({ revenue: 3, events: [] });
    expect(meaningOf(settings, 0, null, 'high')).toEqual({ revenue: null, events: ['vip'] });
  });

  it('reads a window by its own schema, and an unknown value or window as nothing', () => {
    expect(meaningOf(settings, 1, null, 'low')).toEqual({ revenue: null, events: [] });
    expect(meaningOf(settings, 2, null, 'medium')).toEqual({ revenue: null, events: [] });
    expect(meaningOf(settings, 0, 6, null)).toEqual({ revenue: null, events: [] });
    // A fine value the schema does not know falls back to the coarse one Apple sent beside it.
    expect(meaningOf(settings, 0, 6, 'low')).toEqual({ revenue: 1, events: [] });
    expect(meaningOf(settings, 0, 5, 'low')).toEqual({ revenue: 4, events: ['purchase', 'signup'] });
  });
});
