import { isSpanContextValid, trace } from "@opentelemetry/api";
import pino from "pino";

/** Joins a log line to its trace: the active span's ids, when tracing is on and a span is active. */
export function traceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  const { traceId, spanId, traceFlags } = spanContext;
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}

/** Structured JSON logs for web and workers; every line a process writes goes through this. */
export function createLogger(destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: process.env.SWITCHBOARD_SERVICE ?? "web" },
    mixin: traceFields,
    redact: {
      paths: ["*.authorization", "*.token", "*.clientSecret", "*.password", "headers.cookie"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const logger = createLogger();
