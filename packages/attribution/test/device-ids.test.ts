import { describe, expect, it } from 'vitest';
import { isUsableAdvertisingId, normalizeAdvertisingId, normalizeOsVersion } from '../src/index.ts';

describe('advertising ids', () => {
  it('match whatever case and whitespace the sender used', () => {
    expect(normalizeAdvertisingId(' 6D92078A-8246-4BA4-AE5B-76104861E7DC ')).toBe('6d92078a-8246-4ba4-ae5b-76104861e7dc');
    expect(normalizeAdvertisingId('6d92078a-8246-4ba4-ae5b-76104861e7dc')).toBe(
      normalizeAdvertisingId('6D92078A-8246-4BA4-AE5B-76104861E7DC'),
    );
  });

  it('a zeroed id (limit ad tracking, ATT denied) or none is no id: it must never match', () => {
    for (const zeroed of ['00000000-0000-0000-0000-000000000000', ' 00000000-0000-0000-0000-000000000000 ', '0', '', '   ', '----']) {
      expect(normalizeAdvertisingId(zeroed), zeroed).toBe('');
      expect(isUsableAdvertisingId(zeroed), zeroed).toBe(false);
    }
    expect(isUsableAdvertisingId('00000000-0000-0000-0000-000000000001')).toBe(true);
    expect(isUsableAdvertisingId('38400000-8cf0-11bd-b23e-10b96e40000d')).toBe(true);
  });
});

describe('normalizeOsVersion', () => {
  const table: [string, string][] = [
    ['17_1_2', '17.1.2'],
    ['17.1.2', '17.1.2'],
    [' 17.1.2 ', '17.1.2'],
    ['14', '14'],
    ['14.0', '14'],
    ['14.0.0', '14'],
    ['14.00', '14'],
    ['14.0.1', '14.0.1'],
    ['14.10', '14.10'],
    ['14.01', '14.01'],
    ['10.0', '10'],
    ['0', '0'],
    ['0.0', '0'],
    ['', ''],
  ];
  it.each(table)('%j → %j', (version, normalized) => {
    expect(normalizeOsVersion(version)).toBe(normalized);
  });
});
