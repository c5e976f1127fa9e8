import { describe, expect, it } from 'vitest';
import { isEligibleTouch, isInsideWindow } from '../src/index.ts';
import { click, HOUR, T } from './fixtures.ts';

// decideInstall checks "strictly before the install" twice (eligibility and window); each guard is
// pinned here on its own, so removing either one fails a test (mutation testing found both unpinned).
describe('isInsideWindow', () => {
  it('a touch at the end instant is not inside; the far edge is', () => {
    expect(isInsideWindow(T, T, HOUR)).toBe(false);
    expect(isInsideWindow(T - 1, T, HOUR)).toBe(true);
    expect(isInsideWindow(T - HOUR, T, HOUR)).toBe(true);
    expect(isInsideWindow(T - HOUR - 1, T, HOUR)).toBe(false);
    expect(isInsideWindow(T + 1, T, HOUR)).toBe(false);
  });
});

describe('isEligibleTouch', () => {
  it('needs the same app, no fraud flag and a time strictly before the install', () => {
    expect(isEligibleTouch(click({ id: 'c', ago: 1 }), 'app1', T)).toBe(true);
    expect(isEligibleTouch(click({ id: 'c', ago: 0 }), 'app1', T)).toBe(false);
    expect(isEligibleTouch(click({ id: 'c', ago: 1 }), 'app2', T)).toBe(false);
    expect(isEligibleTouch(click({ id: 'c', ago: 1, fraud_reason: 'click_flood' }), 'app1', T)).toBe(false);
  });
});
