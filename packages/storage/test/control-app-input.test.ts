import { describe, expect, it } from 'vitest';
import { AppInputError, normalizeAppPatch, normalizeNewApp } from '../src/control/app-input.ts';

describe('app input', () => {
  it('trims, deduplicates platforms in canonical order and turns empty optionals into null', () => {
    expect(normalizeNewApp({ name: ' Game ', platforms: ['web', 'android', 'web'], bundle_id: ' ', web_url: '' })).toEqual({
      name: 'Game',
      platforms: ['android', 'web'],
      bundle_id: null,
      store_url_ios: null,
      store_url_android: null,
      web_url: null,
    });
  });

  it('names the field it refuses', () => {
    const cases: [Parameters<typeof normalizeNewApp>[0], string][] = [
      [{ name: '', platforms: ['ios'] }, 'name'],
      [{ name: 'x'.repeat(201), platforms: ['ios'] }, 'name'],
      [{ name: 'x', platforms: ['ios', 'symbian' as 'ios'] }, 'platforms'],
      [{ name: 'x', platforms: ['ios'], store_url_ios: 'javascript:alert(1)' }, 'store_url_ios'],
      [{ name: 'x', platforms: ['ios'], store_url_android: 'not a url' }, 'store_url_android'],
      [{ name: 'x', platforms: ['ios'], bundle_id: 'b'.repeat(256) }, 'bundle_id'],
    ];
    for (const [input, field] of cases) {
      expect(() => normalizeNewApp(input)).toThrow(AppInputError);
      expect(() => normalizeNewApp(input)).toThrow(expect.objectContaining({ field, code: 'invalid_app' }));
    }
  });

  it('keeps only the fields a patch sets, null clearing optionals', () => {
    expect(normalizeAppPatch({})).toEqual({});
    expect(normalizeAppPatch({ name: 'New', web_url: null, store_url_ios: undefined, settings: { a: 1 } })).toEqual({
      name: 'New',
      web_url: null,
      settings: { a: 1 },
    });
    expect(() => normalizeAppPatch({ settings: [] as unknown as Record<string, unknown> })).toThrow(AppInputError);
  });
});
