import { describe, expect, it } from 'vitest';
import { clickIdFromReferrer, installClickIds } from '../src/index.ts';
import { install } from './fixtures.ts';

describe('clickIdFromReferrer', () => {
  const table: [string, string][] = [
    ['click_id=abc123', 'abc123'],
    ['utm_source=google-play&click_id=abc123&utm_medium=organic', 'abc123'],
    ['click_id%3Dabc123', 'abc123'],
    ['utm_source%3Dx%26click_id%3Dabc123', 'abc123'],
    ['click_id%253Dabc123', 'abc123'],
    ['referrer=click_id%3Dabc123', 'abc123'],
    ['?click_id=abc123', 'abc123'],
    ['utm_source=google&click_id%3Dabc123', 'abc123'],
    ['click_id=a%2Fb', 'a/b'],
    ['click_id=', ''],
    ['utm_source=google-play&utm_medium=organic', ''],
    ['', ''],
    ['%E0%A4%A', ''],
    ['xclick_id=abc', ''],
    // A parameter with no '=' is no key: 'click_idx' must not read as 'click_id' = 'click_idx'.
    ['click_idx&utm_source=y', ''],
    ['utm_source=x& click_id=abc', 'abc'],
    ['  ?click_id=abc  ', 'abc'],
    ['click_id=a?b', 'a?b'],
    ['click_id=abc%20', 'abc'],
    // Encoded once by us and once more on the way is found; a third layer is not peeled.
    ['click_id%25253Dabc123', ''],
  ];
  it.each(table)('%j → %j', (referrer, id) => {
    expect(clickIdFromReferrer(referrer)).toBe(id);
  });
});

describe('installClickIds', () => {
  it('collects the referrer and the deep-link click id', () => {
    const ids = installClickIds(
      install({ click_id: ' deep ', install_referrer: { referrer: 'click_id=ref', click_ts: null, install_begin_ts: null } }),
    );
    expect([...ids].sort()).toEqual(['deep', 'ref']);
  });

  it('is empty for an install that carries neither', () => {
    expect(installClickIds(install()).size).toBe(0);
  });
});
