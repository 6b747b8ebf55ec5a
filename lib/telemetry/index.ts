import type { SpanExporter } from "@opentelemetry/sdk-trace-node";
import type { Telemetry } from "bullmq";
import type { Config } from "@/lib/config";

/**
 * OpenTelemetry tracing for every Switchboard process, off by default. Disabled, nothing is loaded
 * or registered: @opentelemetry/api stays a no-op and callers pay one undefined check.
 */

export type TracingConfig = Pick<
  Config,
  | "OTEL_SDK_DISABLED"
  | "OTEL_TRACES_EXPORTER"
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
>;

export interface TracingOptions {
  /** service.name unless OTEL_SERVICE_NAME overrides it: switchboard-web, switchboard-worker, ... */
  serviceName: string;
  /**
   * A span per outgoing fetch attempt (undici), carrying traceparent to the callee. Off in the web
   * app, where Next.js already emits a span per fetch.
   */
  fetchSpans?: boolean;
  /** Replaces the exporter chosen by OTEL_TRACES_EXPORTER (tests use an InMemorySpanExporter). */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** BullMQ's hook for Queues: a producer span per add, its context carried in the job's options. */
  queueTelemetry: Telemetry;
  forceFlush(): Promise<void>;
  /** Exports what is buffered, then unregisters the global provider. */
  shutdown(): Promise<void>;
}

/** On when OTEL_TRACES_EXPORTER asks for an exporter, or an OTLP endpoint is set and no one said none. */
export function isTracingEnabled(config: TracingConfig): boolean {
  if (config.OTEL_SDK_DISABLED === "true" || config.OTEL_TRACES_EXPORTER === "none") return false;
  return (
    config.OTEL_TRACES_EXPORTER !== undefined ||
    Boolean(config.OTEL_EXPORTER_OTLP_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  );
}

// On globalThis: Next.js bundles instrumentation.ts and the routes apart, each with its own copy of this module.
const globalForTracing = globalThis as unknown as { switchboardTracing?: Tracing };

/** Registers the tracer provider once per process; undefined when tracing is off. */
export async function startTracing(
  config: TracingConfig,
  options: TracingOptions,
): Promise<Tracing | undefined> {
  if (!isTracingEnabled(config)) return undefined;
  if (globalForTracing.switchboardTracing) return globalForTracing.switchboardTracing;
  const { registerTracing } = await import("./sdk");
  const tracing = registerTracing(config, options);
  globalForTracing.switchboardTracing = {
    ...tracing,
    async shutdown() {
      globalForTracing.switchboardTracing = undefined;
      await tracing.shutdown();
    },
  };
  return globalForTracing.switchboardTracing;
}

/** The web app's tracing (instrumentation.ts): Next.js emits its route spans to the provider. */
export async function startWebTracing(config: TracingConfig): Promise<Tracing | undefined> {
  const tracing = await startTracing(config, { serviceName: "switchboard-web" });
  // Next.js stops on SIGTERM by draining requests and exiting; export what is buffered meanwhile.
  if (tracing) process.once("SIGTERM", () => void tracing.forceFlush());
  return tracing;
}

/** The running process's tracing, if started. */
export function getTracing(): Tracing | undefined {
  return globalForTracing.switchboardTracing;
}
