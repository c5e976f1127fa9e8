import { describe, expect, it } from 'vitest';
import {
  type AppAttributionSettings,
  type Attribution,
  type BlockList,
  decideInstall,
  defaultSettings,
  type Install,
  type PriorInstall,
  type Touchpoint,
} from '../src/index.ts';
import { DAY, install, T } from './fixtures.ts';

/** Shared table format for the decideInstall scenario files. */
export interface Expected {
  status: Attribution['status'];
  match_type: Attribution['match_type'];
  winner: string | null;
  fraud_reason?: Attribution['fraud_reason'];
  is_reattribution?: boolean;
}

export interface Case {
  name: string;
  install?: Partial<Install>;
  touches: Touchpoint[];
  prior?: PriorInstall;
  settings?: (s: AppAttributionSettings) => void;
  global?: BlockList;
  expect: Expected;
}

export const MIN = 60_000;
export const referrer = (text: string, click_ts: number | null = null, install_begin_ts: number | null = null) => ({
  install_referrer: { referrer: text, click_ts, install_begin_ts },
});
export const attributed = (match_type: Attribution['match_type'], winner: string): Expected => ({
  status: 'attributed',
  match_type,
  winner,
});
export const ORGANIC: Expected = { status: 'organic', match_type: 'none', winner: null };
export const rejected = (
  fraud_reason: Attribution['fraud_reason'],
  match_type: Attribution['match_type'],
  winner: string | null,
): Expected => ({
  status: 'rejected',
  match_type,
  winner,
  fraud_reason,
});

export const ORIGINAL: Attribution = {
  status: 'attributed',
  match_type: 'device_id',
  media_source: 'original-network',
  campaign: 'original-campaign',
  ad_set: 'a',
  ad: 'b',
  site_id: 'c',
  link_id: 'original-link',
  click_id: 'original-click',
  network_click_id: 'original-net',
  touch_at: T - 40 * DAY,
  ctit_seconds: 3600,
  fraud_reason: '',
  is_reattribution: false,
};
export const prior = (ago: number): PriorInstall => ({ installed_at: T - ago, attribution: ORIGINAL });

export function runCases(title: string, cases: Case[]): void {
  describe(title, () => {
    it.each(cases)('$name', (c) => {
      const settings = defaultSettings();
      c.settings?.(settings);
      const d = decideInstall(install(c.install), c.touches, c.prior ?? null, settings, c.global ?? []);
      expect({
        status: d.status,
        match_type: d.match_type,
        winner: d.winner?.touch_id ?? null,
        fraud_reason: d.fraud_reason,
        is_reattribution: d.is_reattribution,
      }).toEqual({ fraud_reason: '', is_reattribution: false, ...c.expect });
    });
  });
}
