import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Record<string, unknown>;
type Parent = FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !(v instanceof Error) && !Array.isArray(v);

/**
 * Fastify's per-request logger (`req.log`, stamped with the request id), without a pino child
 * per request. pino builds a child's bindings when the child is made — serialized and run
 * through the redaction paths — and Fastify makes one for every request, logged or not: that
 * was ~3% of a click redirect's main-thread time (docs/benchmarks.md, the click profile). Here
 * a line at a level that is off costs one check; a line `(object, message)` or `(message)` is
 * written by the parent with the request id merged in (the same JSON keys a child writes); any
 * other use (an Error first, `child`, the level) makes the real child once and hands over.
 */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  const p = parent as Parent;
  let real: FastifyBaseLogger | undefined;
  const child = () => {
    real ??= parent.child(bindings, options);
    return real;
  };
  const enabled = (level: Level) => (p.isLevelEnabled ? p.isLevelEnabled(level) : true);
  const method =
    (level: Level) =>
    (first?: unknown, ...rest: unknown[]): void => {
      if (real) return void (real[level] as (...a: unknown[]) => void)(first, ...rest);
      if (!enabled(level)) return;
      const write = parent[level] as (...a: unknown[]) => void;
      if (isPlainObject(first)) return void write.call(parent, { ...bindings, ...first }, ...rest);
      if (typeof first === 'string') return void write.call(parent, bindings, first, ...rest);
      (child()[level] as (...a: unknown[]) => void)(first, ...rest);
    };
  const logger = {
    get level() {
      return real?.level ?? parent.level;
    },
    set level(value: string) {
      child().level = value;
    },
    silent: () => {},
    child: (b: Bindings, o?: object) => child().child(b, o),
  } as unknown as FastifyBaseLogger;
  for (const level of LEVELS) (logger as unknown as Record<Level, unknown>)[level] = method(level);
  return logger;
}
