import type { JetStreamManager } from '@nats-io/jetstream';
import type { JetStreamSettings } from './jetstream-options.ts';

export interface Backlog {
  records: number;
  bytes: number;
  oldestAppendedAt: number | null;
}

/** Stream state older than this is refreshed in the background before the next decision. */
const FRESH_MS = 250;

/**
 * The stream's backlog (a work queue holds exactly the records not yet acked) and the byte
 * budget appends must stay inside.
 *
 * Why the adapter enforces `maxBytes` itself: nats-server before 2.10.5 under-counts a new
 * message against `max_bytes` with discard new (nats-server issues 4771, 4775), admits it, and
 * then trims the OLDEST messages to get back under the limit: acknowledged, unconsumed records
 * silently lost. So the stream's own limit is set with headroom above `maxBytes` and is never
 * meant to be reached; appends are refused here, against the last known size plus what this
 * process published since.
 */
export class StreamBacklog {
  private state: Backlog = { records: 0, bytes: 0, oldestAppendedAt: null };
  private at = 0;
  private refreshing: Promise<Backlog> | null = null;
  /** Bytes this process published since the last refresh began. */
  private publishedSince = 0;

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly settings: JetStreamSettings,
  ) {}

  /** Last known backlog; starts a refresh when it is stale. */
  current(): Backlog {
    if (Date.now() - this.at > FRESH_MS) void this.refresh();
    return this.state;
  }

  /** A reason to refuse `bytes` more, or null when they fit the budget (and are counted). */
  reserve(bytes: number): string | null {
    const estimate = this.current().bytes + this.publishedSince + bytes;
    if (estimate > this.settings.maxBytes) {
      return `the event stream is full (about ${estimate} of ${this.settings.maxBytes} bytes waiting for workers); workers are behind`;
    }
    this.publishedSince += bytes;
    return null;
  }

  refresh(): Promise<Backlog> {
    this.refreshing ??= (async () => {
      const counted = this.publishedSince;
      try {
        const { state } = await this.jsm.streams.info(this.settings.stream);
        this.state = {
          records: state.messages,
          bytes: state.bytes,
          oldestAppendedAt: state.messages > 0 ? Date.parse(state.first_ts) : null,
        };
        this.publishedSince = Math.max(0, this.publishedSince - counted);
        this.at = Date.now();
      } catch {
        // Keep the last figures; a lost connection shows in unavailableReason().
      } finally {
        this.refreshing = null;
      }
      return this.state;
    })();
    return this.refreshing;
  }
}

/** The stream's own `max_bytes`: above the adapter's budget, so the server's flawed limit never acts first. */
export function serverMaxBytes(maxBytes: number): number {
  return maxBytes + Math.max(Math.ceil(maxBytes / 10), 8 * 1024 * 1024);
}
