import { mkdirSync } from 'node:fs';
import { type ChdbQueryStream, drainPending, type RawInsertFormat, Session } from 'chdb';
import { SerialQueue } from '../serial-queue.ts';
import { queryKind, SlotTimings } from './slot-timings.ts';
import { StandInError } from './stand-in-error.ts';

/** Where a statement runs, and with what: the current database and this statement's settings. */
export interface Context {
  database: string;
  settings: Record<string, string>;
}

export interface Answer {
  bytes: Uint8Array;
  rowsRead: number;
  bytesRead: number;
  elapsedNs: number;
}

export interface InsertAnswer {
  rowsWritten: number;
  bytesWritten: number;
  elapsedNs: number;
}

/** A streamed answer: the first chunk is already there (so a failing statement fails before any byte is sent). */
export interface StreamedAnswer extends AsyncIterable<Uint8Array> {
  cancel(): void;
}

const READERS = 2;
/** Inserts (and statements that change things) run on this many sessions at once, as on a server; see `open`. */
const DEFAULT_WRITERS = 1;

/**
 * Formats chDB streams correctly chunk by chunk: rows one after another, without a header or a
 * footer. chDB formats every streamed chunk as a document of its own, so any other format
 * (CSVWithNames, Parquet, JSON…) is answered whole, from memory, as a server would send it.
 */
const ROW_STREAM_FORMATS = new Set([
  'JSONEachRow',
  'JSONCompactEachRow',
  'JSONStringsEachRow',
  'JSONCompactStringsEachRow',
  'CSV',
  'TSV',
  'TabSeparated',
  'TSVRaw',
  'TabSeparatedRaw',
  'RowBinary',
]);

/**
 * chDB under the stand-in. chDB runs one operation per session at a time, so each session has
 * its own queue: one `writer` for inserts and statements that change things, `READERS` readers
 * for queries (a long scan streaming to a slow client holds one, the other keeps answering).
 * Bound parameters are set engine-wide by chDB, so every bound statement of the stand-in also
 * takes one process-wide turn (`#binding`) until the engine has read its parameters.
 *
 * A session keeps its current database and settings between statements; before each one they
 * are changed to what the request asks (`USE`, `SET`, `SET … = DEFAULT`), so a request never
 * sees another one's.
 */
export class DevEngine {
  readonly #writers: Slot[];
  readonly #readers: Slot[];
  readonly #binding = new SerialQueue();
  /** Wait for a session and time holding it, per kind of statement (slot-timings.ts). */
  readonly timings = new SlotTimings();
  #closed = false;

  private constructor(
    sessions: Session[],
    writers: number,
    readonly version: string,
  ) {
    const slots = sessions.map((s) => new Slot(s, this.timings));
    this.#writers = slots.slice(0, writers);
    this.#readers = slots.slice(writers);
  }

  /** `writers`: sessions taking inserts and changes, each one at a time (default 1). */
  static async open(dir: string, writers = DEFAULT_WRITERS): Promise<DevEngine> {
    mkdirSync(dir, { recursive: true });
    const sessions: Session[] = [];
    try {
      for (let i = 0; i < writers + READERS; i++) sessions.push(new Session(dir, { connectionArgs: ['--async_load_databases=0'] }));
      const version = (await (sessions[0] as Session).queryAsync('SELECT version()', { format: 'TSVRaw' })).text().trim();
      return new DevEngine(sessions, writers, version);
    } catch (err) {
      for (const s of sessions) s.close();
      throw new Error(`Cannot open chDB at ${dir}: ${(err as Error).message} (only one process may use a data directory)`, { cause: err });
    }
  }

  /** A statement that changes things (DDL, `INSERT … SELECT`, `ALTER`…), its whole answer at once. */
  run(sql: string, params: Record<string, unknown>, format: string, context: Context): Promise<Answer> {
    return leastBusy(this.#writers).turn('run', context, async (session) => {
      const bound = Object.keys(params).length > 0;
      const result = bound
        ? await this.#bind(() => session.queryBindAsync(sql, params, { format }))
        : await session.queryAsync(sql, { format });
      return { bytes: result.bytes(), rowsRead: result.rowsRead, bytesRead: result.bytesRead, elapsedNs: Math.round(result.elapsed * 1e9) };
    });
  }

  /** Rows given as bytes in `format`, into `table` of the context's database. */
  insert(
    target: { table: string; columns: string[] | undefined; format: string; settings: Record<string, string> },
    data: Buffer,
    context: Context,
  ): Promise<InsertAnswer> {
    const settings: Record<string, string | number> = {};
    for (const [k, v] of Object.entries({ ...context.settings, ...target.settings })) settings[k] = /^-?\d+$/.test(v) ? Number(v) : v;
    return leastBusy(this.#writers).turn(`insert:${target.table}`, { database: context.database, settings: {} }, async (session) => {
      const summary = await session.insert({
        table: target.table,
        ...(target.columns ? { columns: target.columns } : {}),
        values: data,
        format: target.format as RawInsertFormat,
        settings,
      });
      return { rowsWritten: summary.rowsWritten, bytesWritten: summary.bytesWritten, elapsedNs: Math.round(summary.elapsed * 1e9) };
    });
  }

  /**
   * A query on a free reader, streamed: the reader stays taken until the answer has been sent
   * or cancelled. Resolves once the first chunk is there.
   */
  async query(sql: string, params: Record<string, unknown>, format: string, context: Context): Promise<StreamedAnswer> {
    const slot = leastBusy(this.#readers);
    if (!ROW_STREAM_FORMATS.has(format)) {
      const bytes = await slot.turn(queryKind(sql), context, async (session) => {
        const bound = Object.keys(params).length > 0;
        const result = bound
          ? await this.#bind(() => session.queryBindAsync(sql, params, { format }))
          : await session.queryAsync(sql, { format });
        return result.bytes();
      });
      return {
        cancel() {},
        async *[Symbol.asyncIterator]() {
          if (bytes.length > 0) yield bytes;
        },
      };
    }
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    let started!: (answer: StreamedAnswer) => void;
    let failed!: (err: unknown) => void;
    const ready = new Promise<StreamedAnswer>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    slot
      .turn(queryKind(sql), context, async (session) => {
        let stream: ChdbQueryStream | undefined;
        try {
          const bound = Object.keys(params).length > 0;
          const open = async () => {
            stream = bound ? session.queryStreamBind(sql, params, { format }) : session.queryStream(sql, { format });
            const iterator = stream[Symbol.asyncIterator]();
            return { iterator, first: await iterator.next() };
          };
          const { iterator, first } = bound ? await this.#bind(open) : await open();
          const live = stream as ChdbQueryStream;
          started({
            cancel: () => {
              if (!live.closed) live.cancel();
              done();
            },
            async *[Symbol.asyncIterator]() {
              try {
                if (first.done) return;
                yield first.value.raw();
                for (;;) {
                  const next = await iterator.next();
                  if (next.done) return;
                  yield next.value.raw();
                }
              } finally {
                if (!live.closed) live.cancel();
                done();
              }
            },
          });
        } catch (err) {
          if (stream && !stream.closed) stream.cancel();
          failed(err);
          done();
        }
        await finished;
      })
      .catch(failed);
    return ready;
  }

  /** One process-wide turn for a bound statement, timed as `bind` (its wait, and how long it held the turn). */
  async #bind<T>(run: () => Promise<T>): Promise<T> {
    const queued = performance.now();
    return this.#binding.run(async () => {
      const started = performance.now();
      try {
        return await run();
      } finally {
        this.timings.record('bind', started - queued, performance.now() - started);
      }
    });
  }

  /** Waits for running statements, then releases the data directory. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const slots = [...this.#writers, ...this.#readers];
    await Promise.all(slots.map((s) => s.queue.idle()));
    for (const s of slots) s.session.close();
    await drainPending();
  }
}

function leastBusy(slots: readonly Slot[]): Slot {
  return slots.reduce((a, b) => (b.waiting < a.waiting ? b : a));
}

class Slot {
  readonly queue = new SerialQueue();
  waiting = 0;
  #database = 'default';
  #settings = new Map<string, string>();

  constructor(
    readonly session: Session,
    private readonly timings: SlotTimings,
  ) {}

  async turn<T>(kind: string, context: Context, op: (session: Session) => Promise<T>): Promise<T> {
    this.waiting++;
    const queued = performance.now();
    try {
      return await this.queue.run(async () => {
        const started = performance.now();
        try {
          await this.#prepare(context);
          return await op(this.session);
        } finally {
          this.timings.record(kind, started - queued, performance.now() - started);
        }
      });
    } finally {
      this.waiting--;
    }
  }

  async #prepare({ database, settings }: Context): Promise<void> {
    if (database !== this.#database) {
      await this.session.queryAsync(`USE ${database}`).catch((err: Error) => {
        if (/UNKNOWN_DATABASE/.test(err.message))
          throw new StandInError(81, 'UNKNOWN_DATABASE', `Database ${database} does not exist`, 404);
        throw err;
      });
      this.#database = database;
    }
    for (const name of [...this.#settings.keys()]) {
      if (name in settings) continue;
      await this.session.queryAsync(`SET ${name} = DEFAULT`);
      this.#settings.delete(name);
    }
    for (const [name, value] of Object.entries(settings)) {
      if (this.#settings.get(name) === value) continue;
      await this.session.queryAsync(`SET ${name} = ${settingLiteral(value)}`);
      this.#settings.set(name, value);
    }
  }
}

/** A number stays a number; anything else is a quoted, escaped string literal. */
function settingLiteral(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
