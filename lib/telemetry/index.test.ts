import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig, type ConfigError } from "@/lib/config";
import { createLogger, traceFields } from "@/lib/logger";
import { getTracing, isTracingEnabled, startTracing, type Tracing } from ".";

const endpoint = "http://127.0.0.1:4318";

describe("isTracingEnabled", () => {
  it("is off by default and on with an OTLP endpoint or an explicit exporter", () => {
    expect(isTracingEnabled(parseConfig({}))).toBe(false);
    expect(isTracingEnabled(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }))).toBe(true);
    expect(
      isTracingEnabled(parseConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` })),
    ).toBe(true);
    expect(isTracingEnabled(parseConfig({ OTEL_TRACES_EXPORTER: "console" }))).toBe(true);
  });

  it("honours the standard switches that turn it off", () => {
    expect(
      isTracingEnabled(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_EXPORTER: "none" })),
    ).toBe(false);
    expect(
      isTracingEnabled(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: "true" })),
    ).toBe(false);
  });
});

describe("tracing configuration", () => {
  it("names a gRPC protocol, a bad sampler and a sampler ratio out of range", () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (error) {
        return (error as ConfigError).problems.join("\n");
      }
      return "";
    };
    expect(problems({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toMatch(
      /OTEL_EXPORTER_OTLP_PROTOCOL: only http\/protobuf is supported/,
    );
    expect(problems({ OTEL_TRACES_SAMPLER: "sometimes" })).toMatch(/OTEL_TRACES_SAMPLER/);
    expect(problems({ OTEL_TRACES_SAMPLER_ARG: "1.5" })).toMatch(/OTEL_TRACES_SAMPLER_ARG/);
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toMatch(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});

describe("startTracing", () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
    delete process.env.OTEL_SERVICE_NAME;
  });

  it("registers nothing when tracing is off: spans do not record and logs carry no trace ids", async () => {
    tracing = await startTracing(parseConfig({}), {
      serviceName: "switchboard-test",
      exporter: new InMemorySpanExporter(),
    });
    expect(tracing).toBeUndefined();
    expect(getTracing()).toBeUndefined();
    const span = trace.getTracer("test").startSpan("nothing");
    expect(span.isRecording()).toBe(false);
    expect(
      trace.getTracer("test").startActiveSpan("nothing", (active) => (active.end(), traceFields())),
    ).toEqual({});
  });

  it("exports spans with the process's service name, which OTEL_SERVICE_NAME overrides", async () => {
    const exporter = new InMemorySpanExporter();
    tracing = await startTracing(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), {
      serviceName: "switchboard-test",
      exporter,
    });
    expect(getTracing()).toBe(tracing);
    trace.getTracer("test").startSpan("first").end();
    await tracing!.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.resource.attributes["service.name"]])).toEqual([
      ["first", "switchboard-test"],
    ]);
    await tracing!.shutdown();

    process.env.OTEL_SERVICE_NAME = "switchboard-web-eu";
    const renamed = new InMemorySpanExporter();
    tracing = await startTracing(parseConfig({ OTEL_TRACES_EXPORTER: "otlp" }), {
      serviceName: "switchboard-test",
      exporter: renamed,
    });
    trace.getTracer("test").startSpan("second").end();
    await tracing!.forceFlush();
    expect(renamed.getFinishedSpans()[0]?.resource.attributes["service.name"]).toBe("switchboard-web-eu");
  });

  it("puts the active span's trace id into every log line", async () => {
    const exporter = new InMemorySpanExporter();
    tracing = await startTracing(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), {
      serviceName: "switchboard-test",
      exporter,
    });
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) }),
    );
    log.info("outside");
    const ids = trace.getTracer("test").startActiveSpan("request", (span) => {
      log.info("inside");
      span.end();
      return span.spanContext();
    });
    expect(lines[0]).not.toHaveProperty("trace_id");
    expect(lines[1]).toMatchObject({
      msg: "inside",
      trace_id: ids.traceId,
      span_id: ids.spanId,
      trace_flags: "01",
    });
  });
});
