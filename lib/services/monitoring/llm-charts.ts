import {
  alignToSteps,
  batchSizeQuery,
  generationTokensQuantileQuery,
  gpuMemoryUsedQuery,
  gpuUtilisationQuery,
  kvCacheUsageQuery,
  promptTokensQuantileQuery,
  queueSizeQuery,
  tokensPerSecondQuery,
  tpotQuantileQuery,
  ttftQuantileQuery,
  type PrometheusClient,
  type RangeSeries,
  type ServingSelector,
} from "@/lib/clients/prometheus";
import { chartGrid, type ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import type { ChartLine } from "./service-charts";

/**
 * An LLM service's charts: time to first token and time per output token (p50/p95), generated
 * tokens per second, queue and batch size, KV-cache use, prompt and generated lengths (p50/p95),
 * and the GPUs' utilisation and memory where dcgm-exporter runs. Range queries on one step grid,
 * gaps left as null; a panel whose metric Prometheus does not have is an empty list, which the
 * page shows as "not exported", never as zero.
 */

export interface LlmCharts {
  range: ChartRange;
  stepSeconds: number;
  generatedAt: string;
  ttftMs: ChartLine[];
  tpotMs: ChartLine[];
  tokensPerSecond: ChartLine[];
  queueSize: ChartLine[];
  batchSize: ChartLine[];
  kvCacheUsage: ChartLine[];
  promptTokens: ChartLine[];
  generatedTokens: ChartLine[];
  gpuUtilisation: ChartLine[];
  gpuMemoryGiB: ChartLine[];
}

const p50p95 = [
  { label: "p50", value: 0.5 },
  { label: "p95", value: 0.95 },
] as const;

export async function loadLlmCharts(
  prometheus: Pick<PrometheusClient, "queryRange">,
  input: { namespace: string; service: string; range: ChartRange; now?: number },
): Promise<LlmCharts> {
  const now = input.now ?? Date.now();
  const grid = chartGrid(input.range, now);
  const selector: ServingSelector = { namespace: input.namespace, service: input.service };
  const range = (query: string) =>
    prometheus.queryRange({ query, start: grid.start * 1000, end: grid.end * 1000, step: grid.step });
  const line = (series: RangeSeries[], label: string, scale = 1): ChartLine[] =>
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
  const quantiles = async (build: typeof ttftQuantileQuery, scale = 1) =>
    (await Promise.all(p50p95.map((q) => range(build(selector, q.value, grid.window))))).flatMap(
      (series, i) => line(series, p50p95[i].label, scale),
    );
  const [ttftMs, tpotMs, promptTokens, generatedTokens, tokens, queue, batch, cache, gpu, memory] =
    await Promise.all([
      quantiles(ttftQuantileQuery, 1000),
      quantiles(tpotQuantileQuery, 1000),
      quantiles(promptTokensQuantileQuery),
      quantiles(generationTokensQuantileQuery),
      range(tokensPerSecondQuery(selector, grid.window)),
      range(queueSizeQuery(selector)),
      range(batchSizeQuery(selector)),
      range(kvCacheUsageQuery(selector)),
      range(gpuUtilisationQuery(selector)),
      range(gpuMemoryUsedQuery(selector)),
    ]);
  return {
    range: input.range,
    stepSeconds: grid.step,
    generatedAt: new Date(now).toISOString(),
    ttftMs,
    tpotMs,
    tokensPerSecond: line(tokens, "tokens/s"),
    queueSize: line(queue, "waiting"),
    batchSize: line(batch, "running"),
    kvCacheUsage: line(cache, "KV cache"),
    promptTokens,
    generatedTokens,
    gpuUtilisation: line(gpu, "GPU"),
    gpuMemoryGiB: line(memory, "memory", 1 / 1024),
  };
}
