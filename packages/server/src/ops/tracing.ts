/**
 * Traces are opt-in (docs/operations.md "Traces"). The rest of the code speaks this small
 * interface; with no OTEL_EXPORTER_OTLP_ENDPOINT it is the no-op below and OpenTelemetry is never
 * imported, so the default path loads and allocates nothing for tracing.
 */
export type SpanAttributes = Record<string, string | number | boolean>;

export interface TraceSpan {
  /** W3C traceparent of this span, to carry in a log record; '' when not recording. */
  readonly traceparent: string;
  child(name: string, attributes?: SpanAttributes): TraceSpan;
  end(error?: unknown, attributes?: SpanAttributes): void;
}

export interface Tracing {
  readonly enabled: boolean;
  /** A span under `parent` (a traceparent), or a new trace when there is none. `startTime` in epoch ms. */
  startSpan(name: string, parent?: string, attributes?: SpanAttributes, startTime?: number): TraceSpan;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

const NOOP_SPAN: TraceSpan = {
  traceparent: '',
  child: () => NOOP_SPAN,
  end: () => {},
};

export const NO_TRACING: Tracing = {
  enabled: false,
  startSpan: () => NOOP_SPAN,
  shutdown: async () => {},
};

export async function startTracing(options: { endpoint: string | null; serviceName: string }): Promise<Tracing> {
  if (!options.endpoint) return NO_TRACING;
  const { startOtelTracing } = await import('./otel-tracing.ts');
  return startOtelTracing({ endpoint: options.endpoint, serviceName: options.serviceName });
}
