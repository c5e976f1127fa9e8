import { type AttributionDeps, judgeTouch, touchpointOf } from '@unmogrowp/pipeline';
import type { AcceptDeps } from '../ingest/accept-items.ts';

export type IngestTouchState = Pick<AttributionDeps, 'touchpoints' | 'floods' | 'settingsOf' | 'globalBlocked'>;

/**
 * The scale-out ingest's part of attribution (docs/scale-out-partitioning.md): a touch is judged
 * (fraud rules, shared flood counter) before it is published, since its fraud reason travels
 * with it; it enters the shared touchpoint index only after the stream acknowledged it and
 * before the 202. So an install acknowledged after the touch sees it, and a touch whose publish
 * failed is seen by none.
 */
export function ingestTouches(state: IngestTouchState): NonNullable<AcceptDeps['touches']> {
  return {
    judge: async (touches) => {
      for (const t of touches) await judgeTouch(t, state);
    },
    index: async (touches) => {
      for (const t of touches) await state.touchpoints.add(touchpointOf(t));
    },
  };
}
