import type { SeriesRef } from "./evaluate";
import { llmFamilies } from "./llm";
import { TierSamples, type SampledSeries } from "./series-store";

/**
 * GET /metrics in Prometheus' text exposition format 0.0.4 (prometheus/docs
 * content/docs/instrumenting/exposition_formats.md): each series' latest 15 s sample, with its
 * timestamp. The timestamp is the slot boundary the value belongs to, so a Prometheus scraping at
 * any interval stores the very samples the sandbox's own evaluator reads (docs/decisions/011).
 */

const families: Record<string, { type: "histogram" | "counter" | "gauge"; help: string }> = {
  ...llmFamilies,
  revision_app_request_latencies: { type: "histogram", help: "The response time in millisecond" },
  revision_app_request_count: {
    type: "counter",
    help: "The number of requests that are routed to user-container",
  },
  request_predict_seconds: { type: "histogram", help: "predict latency" },
};

const familyOf = (name: string) => (families[name] ? name : name.replace(/_(bucket|sum|count)$/, ""));

const escapeLabel = (value: string) =>
  value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

export const expositionContentType = "text/plain; version=0.0.4; charset=utf-8";

export function renderExposition(refs: SeriesRef[], generatedUntil: number): string {
  const latest = new Map<SampledSeries, TierSamples>();
  const byFamily = new Map<string, string[]>();
  for (const ref of refs) {
    let samples = latest.get(ref.revision);
    if (!samples) latest.set(ref.revision, (samples = new TierSamples(ref.revision.fine, generatedUntil)));
    if (!samples.hasSample(samples.count)) continue;
    const { __name__: name, ...labels } = ref.labels;
    const family = familyOf(name);
    const text = Object.entries(labels)
      .map(([key, value]) => `${key}="${escapeLabel(value)}"`)
      .join(",");
    if (!byFamily.has(family)) byFamily.set(family, []);
    byFamily
      .get(family)!
      .push(
        `${name}{${text}} ${samples.value(ref.field, samples.count)} ${samples.time(samples.count) * 1000}`,
      );
  }
  const lines: string[] = [];
  for (const [family, samples] of byFamily) {
    const { type, help } = families[family];
    lines.push(`# HELP ${family} ${help}`, `# TYPE ${family} ${type}`, ...samples);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}
