import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Record<string, unknown>;
type Write = (...args: unknown[]) => void;

/**
 * Fastify's per-request logger (`req.log`, stamped with the request id), whose pino child is
 * made only when a line is written. Fastify makes one child per request, logged or not, and
 * pino builds a child's bindings when it is made (serialized, run through the redaction paths):
 * ~5 µs, some 3% of a click redirect's main thread at LOG_LEVEL=warn (docs/benchmarks.md,
 * the click profile). A line at a level that is off now costs one check. When a line is
 * written, the child is made and writes it: the lines are exactly what they were.
 */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  return new LazyRequestLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}

class LazyRequestLogger {
  #real: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger & { isLevelEnabled?(level: string): boolean },
    private readonly bindings: Bindings,
    private readonly options: object,
  ) {}

  get level(): string {
    return this.#real?.level ?? this.parent.level;
  }

  set level(value: string) {
    this.#child().level = value;
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#write('error', args);
  }

  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }

  info(...args: unknown[]): void {
    this.#write('info', args);
  }

  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.#child().child(bindings, options);
  }

  #write(level: Level, args: unknown[]): void {
    // Once made (or its level changed), the child decides; before, a level the parent has off writes nothing.
    if (!this.#real && this.parent.isLevelEnabled && !this.parent.isLevelEnabled(level)) return;
    (this.#child()[level] as Write)(...args);
  }

  #child(): FastifyBaseLogger {
    this.#real ??= this.parent.child(this.bindings, this.options);
    return this.#real;
  }
}
