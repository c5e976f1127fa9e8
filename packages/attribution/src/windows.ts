import type { AppAttributionSettings } from './settings.ts';
import type { Touchpoint } from './types.ts';

export const SECOND_MS = 1000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** docs/attribution-rules.md: the probabilistic window is 24 hours, never more, whatever the click window says. */
export const PROBABILISTIC_MAX_MS = 24 * HOUR_MS;

/**
 * Is a touch at `touchTs` inside a window that ends at `at`? The touch must be strictly earlier
 * (a touch at the install's own millisecond is not "before" it); the far edge is inclusive, so a
 * click exactly 7 days old still counts, as "within 7 days" reads.
 */
export function isInsideWindow(touchTs: number, at: number, windowMs: number): boolean {
  const age = at - touchTs;
  return age > 0 && age <= windowMs;
}

export function clickWindowMs(touch: Touchpoint, settings: AppAttributionSettings): number {
  return touch.click_window_ms > 0 ? touch.click_window_ms : settings.click_window_hours * HOUR_MS;
}

export function viewWindowMs(touch: Touchpoint, settings: AppAttributionSettings): number {
  return touch.view_window_ms > 0 ? touch.view_window_ms : settings.view_window_hours * HOUR_MS;
}

/** The shorter of the probabilistic window and the link's click window, capped at 24 hours. */
export function probabilisticWindowMs(touch: Touchpoint, settings: AppAttributionSettings): number {
  return Math.min(settings.probabilistic_window_hours * HOUR_MS, clickWindowMs(touch, settings), PROBABILISTIC_MAX_MS);
}

export interface LinkWindows {
  click_window_hours?: number | null;
  view_window_hours?: number | null;
}

/** What a click/impression recorder stamps on a touchpoint: the link's own window, else the app's. */
export function resolveTouchWindows(
  link: LinkWindows,
  settings: AppAttributionSettings,
): { click_window_ms: number; view_window_ms: number } {
  return {
    click_window_ms: (link.click_window_hours ?? settings.click_window_hours) * HOUR_MS,
    view_window_ms: (link.view_window_hours ?? settings.view_window_hours) * HOUR_MS,
  };
}
