import {
  alignToSteps,
  gpuMemoryUsedQuery,
  gpuUtilisationQuery,
  llmQuerySets,
  type PrometheusClient,
  type RangeSeries,
  type ServingSelector,
} from "@/lib/clients/prometheus";
import { chartGrid, type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import type { LlmRuntime } from "@/lib/domain/monitoring/llm-serving";
import type { ServingRevision } from "@/lib/domain/rollout/serving-map";
import type { ChartLine } from "./service-charts";

/**
 * An LLM service's charts: time to first token and time per output token (p50/p95), generated
 * tokens per second, queue and batch size, KV-cache use, prompt and generated lengths (p50/p95),
 * and the GPUs' utilisation and memory where dcgm-exporter runs, from the runtime's own series
 * (vLLM or TGI). Range queries on one step grid, gaps left as null. A panel whose metric Prometheus
 * does not have is an empty list ("No data", never zero); a measure the runtime does not export at
 * all is null, which the page names instead of drawing. During a canary every revision carrying
 * traffic gets its own lines, labelled like the latency chart's: `p95 <revision> (v8, 90 %)`.
 */

export interface LlmCharts {
  runtime: LlmRuntime;
  range: ChartRange;
  stepSeconds: number;
  generatedAt: string;
  /** Null: the runtime exports no time to first token (TGI). */
  ttftMs: ChartLine[] | null;
  /** TGI's time in queue before prefill, the closest measure it has to time to first token; null on vLLM. */
  queueWaitMs: ChartLine[] | null;
  tpotMs: ChartLine[];
  tokensPerSecond: ChartLine[];
  queueSize: ChartLine[];
  batchSize: ChartLine[];
  /** Null: the runtime exports no KV-cache use (TGI). */
  kvCacheUsage: ChartLine[] | null;
  promptTokens: ChartLine[];
  generatedTokens: ChartLine[];
  gpuUtilisation: ChartLine[];
  gpuMemoryGiB: ChartLine[];
  /** The revisions drawn one by one (two or more carry traffic), else empty: lines are the service's. */
  revisions: ServingRevision[];
}

const p50p95 = [
  { label: "p50", value: 0.5 },
  { label: "p95", value: 0.95 },
] as const;

export async function loadLlmCharts(
  prometheus: Pick<PrometheusClient, "queryRange">,
  input: {
    namespace: string;
    service: string;
    range: ChartRange;
    runtime?: LlmRuntime;
    /** KServe's revisions carrying traffic; with two or more each gets its own lines. */
    serving?: ServingRevision[];
    now?: number;
  },
): Promise<LlmCharts> {
  const now = input.now ?? Date.now();
  const runtime = input.runtime ?? "vllm";
  const queries = llmQuerySets[runtime];
  const grid = chartGrid(input.range, now);
  const revisions = (input.serving ?? []).length > 1 ? input.serving! : [];
  // One selector per line group: the whole service, or each revision's pods during a canary.
  const groups = revisions.length
    ? revisions.map((revision) => ({
        name: `${revision.revisionName} (${revision.version ? `v${revision.version}, ` : ""}${revision.percent} %)`,
        selector: { namespace: input.namespace, service: input.service, revisions: [revision.revisionName] },
      }))
    : [{ name: "", selector: { namespace: input.namespace, service: input.service } as ServingSelector }];
  const range = (query: string) =>
    prometheus.queryRange({ query, start: grid.start * 1000, end: grid.end * 1000, step: grid.step });
  const toLines = (series: RangeSeries[], label: string, scale: number): ChartLine[] =>
    series.map((s, i) => {
      const values = alignToSteps(s, { start: grid.start * 1000, end: grid.end * 1000, step: grid.step });
      return {
        id: series.length > 1 ? `${label}-${i}` : label,
        label,
        points: values.map((y, j) => ({
          x: (grid.start + j * grid.step) * 1000,
          y: y === null || !Number.isFinite(y) ? null : y * scale,
        })),
      };
    });
  const labelOf = (prefix: string, group: string) => [prefix, group].filter(Boolean).join(" ");
  /** One line per group (named `fallback` when the service is one group). */
  const single = async (build: (selector: ServingSelector) => string, fallback: string, scale = 1) =>
    (
      await Promise.all(
        groups.map(async (group) =>
          toLines(await range(build(group.selector)), group.name || fallback, scale),
        ),
      )
    ).flat();
  const quantiles = async (
    build: ((selector: ServingSelector, quantile: number, window: string) => string) | null,
    scale = 1,
  ) => {
    if (!build) return null;
    const lines = await Promise.all(
      groups.flatMap((group) =>
        p50p95.map(async (q) =>
          toLines(
            await range(build(group.selector, q.value, grid.window)),
            labelOf(q.label, group.name),
            scale,
          ),
        ),
      ),
    );
    return lines.flat();
  };
  const [
    ttftMs,
    queueWaitMs,
    tpotMs,
    promptTokens,
    generatedTokens,
    tokens,
    queue,
    batch,
    cache,
    gpu,
    memory,
  ] = await Promise.all([
    quantiles(queries.ttftQuantile, 1000),
    quantiles(queries.queueWaitQuantile, 1000),
    quantiles(queries.tpotQuantile, 1000),
    quantiles(queries.promptTokensQuantile),
    quantiles(queries.generationTokensQuantile),
    single((selector) => queries.tokensPerSecond(selector, grid.window), "tokens/s"),
    single(queries.queueSize, "waiting"),
    single(queries.batchSize, "running"),
    queries.kvCacheUsage ? single(queries.kvCacheUsage, "KV cache") : null,
    single(gpuUtilisationQuery, "GPU"),
    single(gpuMemoryUsedQuery, "memory", 1 / 1024),
  ]);
  return {
    runtime,
    range: input.range,
    stepSeconds: grid.step,
    generatedAt: new Date(now).toISOString(),
    ttftMs,
    queueWaitMs,
    tpotMs: tpotMs!,
    tokensPerSecond: tokens,
    queueSize: queue,
    batchSize: batch,
    kvCacheUsage: cache,
    promptTokens: promptTokens!,
    generatedTokens: generatedTokens!,
    gpuUtilisation: gpu,
    gpuMemoryGiB: memory,
    revisions,
  };
}
