export {
  initTelemetry,
  type SpanTrace,
  startServerSpan,
  type Telemetry,
  type TelemetryConfig,
  type TraceHeaders,
  tracer,
  withSpanFromHeaders,
} from './tracing.js';
