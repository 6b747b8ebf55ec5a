import { context, propagation, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { BullMQOtel } from "bullmq-otel";
import type { Tracing, TracingConfig, TracingOptions } from ".";

// Loaded only when tracing is on (lib/telemetry/index.ts), so a disabled process never imports the SDK.

/**
 * The SDK reads the standard variables itself: the exporter OTEL_EXPORTER_OTLP_* (endpoint,
 * headers, timeout), the provider OTEL_TRACES_SAMPLER(_ARG) and OTEL_BSP_*, the env detector
 * OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, which win over the process's default name.
 */
export function registerTracing(
  config: TracingConfig,
  options: TracingOptions,
): Omit<Tracing, "shutdown"> & { shutdown(): Promise<void> } {
  const exporter =
    options.exporter ??
    (config.OTEL_TRACES_EXPORTER === "console" ? new ConsoleSpanExporter() : new OTLPTraceExporter());
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  // AsyncLocalStorage context and W3C traceparent/baggage propagation.
  provider.register();
  const unregisterInstrumentations = options.fetchSpans
    ? registerInstrumentations({
        tracerProvider: provider,
        instrumentations: [new UndiciInstrumentation({ requireParentforSpans: true })],
      })
    : () => undefined;

  return {
    queueTelemetry: new BullMQOtel({ tracerName: "switchboard-queue" }),
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      unregisterInstrumentations();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
