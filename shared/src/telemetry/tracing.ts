import {
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TelemetryConfig {
  service: string;
  /** OTLP/HTTP traces endpoint (e.g. http://collector:4318/v1/traces); spans stay local without. */
  otlpEndpoint?: string;
  /** Extra exporter, e.g. an in-memory one in tests. */
  exporter?: SpanExporter;
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Registers a real tracer provider and the W3C trace-context propagator for this process. Spans
 * are recorded (so trace ids exist and propagate) even with no exporter configured.
 *
 * No context manager: the platform hands trace contexts on explicitly (a span's `SpanTrace` to
 * the work it covers), never through an "active span". On Node 20 the async context manager
 * runs a hook for every promise the process makes, and services make several per statement.
 */
export function initTelemetry(config: TelemetryConfig): Telemetry {
  const exporters = [
    ...(config.otlpEndpoint ? [new OTLPTraceExporter({ url: config.otlpEndpoint })] : []),
    ...(config.exporter ? [config.exporter] : []),
  ];
  const spanProcessors: SpanProcessor[] = exporters.map(
    (exporter) => new BatchSpanProcessor(exporter),
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.service }),
    spanProcessors,
  });
  provider.register({ propagator: new W3CTraceContextPropagator(), contextManager: null });
  return { shutdown: () => provider.shutdown() };
}

export const tracer = () => trace.getTracer('saga-platform');

/** W3C `traceparent` (and `tracestate`): a trace context as it travels in headers and rows. */
export type TraceHeaders = Record<string, string>;

/** A span, as the work it covers needs it: to tag log lines and to hand on its context. */
export interface SpanTrace {
  span: Span;
  traceId: string;
  /** The span's context as headers, for the events the work writes. */
  headers: TraceHeaders;
}

function startSpan(
  name: string,
  parentHeaders: Record<string, string | string[] | undefined>,
  options: { kind?: SpanKind; attributes?: Record<string, string | number> },
): SpanTrace {
  const parent = propagation.extract(ROOT_CONTEXT, parentHeaders);
  const span = tracer().startSpan(name, options, parent);
  const headers: TraceHeaders = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, traceId: span.spanContext().traceId, headers };
}

/** Runs `work` in a new span that continues the trace carried by `headers`. */
export async function withSpanFromHeaders<T>(
  name: string,
  headers: Record<string, string>,
  attributes: Record<string, string | number>,
  work: (trace: SpanTrace) => Promise<T>,
): Promise<T> {
  const started = startSpan(name, headers, { attributes });
  try {
    return await work(started);
  } catch (error) {
    started.span.recordException(error as Error);
    throw error;
  } finally {
    started.span.end();
  }
}

/**
 * Starts a server span that continues the trace in `headers`; `end(status)` closes it when the
 * response is sent.
 */
export function startServerSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
): SpanTrace & { end(statusCode: number): void } {
  const started = startSpan(name, headers, { kind: SpanKind.SERVER });
  const { span } = started;
  return {
    ...started,
    end(statusCode) {
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
