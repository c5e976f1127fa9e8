import { describe, expect, it } from 'vitest';
import { extractBodyKey } from '../src/index.ts';

describe('extractBodyKey', () => {
  it.each([
    ['native api_key', { api_key: 'sdk_1', events: [] }, 'sdk_1'],
    ['Segment writeKey', { writeKey: 'wk_1', batch: [] }, 'wk_1'],
    ['Segment writeKey on a single message', { writeKey: 'wk_2', type: 'track', event: 'e' }, 'wk_2'],
    ['PostHog batch api_key', { api_key: 'phc_1', batch: [{ event: 'e' }] }, 'phc_1'],
    ['PostHog single event token', { token: 'phc_2', event: 'e' }, 'phc_2'],
    ['posthog-js properties.token', { event: 'e', properties: { token: 'phc_3' } }, 'phc_3'],
    ['posthog-js array, first event', [{ event: 'e', properties: { token: 'phc_4' } }, { event: 'f' }], 'phc_4'],
    ['batch items carry the key', { batch: [{ event: 'e', api_key: 'phc_5' }] }, 'phc_5'],
    ['legacy data wrapper', { data: { event: 'e', properties: { token: 'phc_6' } } }, 'phc_6'],
    ['legacy data list', { data: [{ event: 'e', api_key: 'phc_7' }] }, 'phc_7'],
    ['body key wins over items', { api_key: 'top', batch: [{ api_key: 'inner' }] }, 'top'],
    ['api_key wins over writeKey', { api_key: 'a', writeKey: 'w' }, 'a'],
  ])('%s', (_label, body, key) => {
    expect(extractBodyKey(body)).toBe(key);
  });

  it.each([
    ['no key', { events: [] }],
    ['empty key', { api_key: '' }],
    ['a number', { api_key: 42 }],
    ['empty array', []],
    ['a string body', 'api_key'],
    ['null', null],
    ['undefined', undefined],
    ['array of non-objects', ['phc_1']],
  ])('%s → null', (_label, body) => {
    expect(extractBodyKey(body)).toBeNull();
  });
});
