import { context, defaultTextMapGetter, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanAttributes, TraceSpan, Tracing } from './tracing.ts';

/** Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (see tracing.ts). Spans go out over OTLP/HTTP. */
export function startOtelTracing(options: { endpoint: string; serviceName: string }): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 })],
  });
  const tracer = provider.getTracer('unmogrowp');
  const propagator = new W3CTraceContextPropagator();

  const wrap = (span: Span): TraceSpan => {
    const sc = span.spanContext();
    return {
      traceparent: `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 1).toString(16)}`,
      child: (name, attributes) => wrap(tracer.startSpan(name, { attributes }, trace.setSpan(ROOT_CONTEXT, span))),
      end: (error, attributes) => {
        if (attributes) span.setAttributes(attributes);
        if (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        }
        span.end();
      },
    };
  };

  return {
    enabled: true,
    startSpan(name: string, parent?: string, attributes?: SpanAttributes, startTime?: number) {
      const ctx = parent ? propagator.extract(ROOT_CONTEXT, { traceparent: parent }, defaultTextMapGetter) : context.active();
      return wrap(tracer.startSpan(name, { attributes, ...(startTime ? { startTime } : {}) }, ctx));
    },
    shutdown: () => provider.shutdown(),
  };
}
