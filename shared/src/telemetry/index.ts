export {
  currentTraceHeaders,
  currentTraceId,
  initTelemetry,
  type Telemetry,
  type TelemetryConfig,
  tracer,
  withSpanFromHeaders,
} from './tracing.js';
