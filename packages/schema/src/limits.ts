/** docs/api.md §2 limits. The body limit is enforced by the HTTP layer (413); the others here. */
export const MAX_BODY_BYTES = 500 * 1024;
/** One wire item, measured as UTF-8 bytes of its JSON. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Items per batch request. */
export const MAX_BATCH = 1000;

export const MAX_EVENT_ID_LENGTH = 64;
export const MAX_EVENT_NAME_LENGTH = 128;

/** A device clock may run ahead; beyond a day it is wrong, not skewed. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Older than a year (plus a leap day) is an import, not telemetry. */
export const MAX_PAST_MS = 366 * 24 * 60 * 60 * 1000;
