import {
  context,
  propagation,
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
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { shutdown: () => provider.shutdown() };
}

export const tracer = () => trace.getTracer('saga-platform');

/** `traceparent` / `tracestate` of the active span, for outbox rows and Kafka headers. */
export function currentTraceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace id of the active span, for log lines. */
export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

/** Runs `work` in a new span that continues the trace carried by `headers`. */
export function withSpanFromHeaders<T>(
  name: string,
  headers: Record<string, string>,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  return tracer().startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `work` synchronously inside a new server span that continues the trace in `headers`;
 * `work` receives `end(status)` to close the span when the response is sent.
 */
export function withServerSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  work: (end: (statusCode: number) => void) => void,
): void {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER }, parent);
  const end = (statusCode: number) => {
    span.setAttribute('http.response.status_code', statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  context.with(trace.setSpan(parent, span), () => work(end));
}
