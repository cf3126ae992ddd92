export {
  currentTraceHeaders,
  currentTraceId,
  initTelemetry,
  type Telemetry,
  type TelemetryConfig,
  tracer,
  withServerSpan,
  withSpanFromHeaders,
} from './tracing.js';
