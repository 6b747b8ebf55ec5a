"use client";

import { useQuery } from "@tanstack/react-query";
import { LineChartPanel } from "@/components/charts/line-chart-panel";
import { formatChartValue, type ChartUnit } from "@/components/charts/format";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import type { ChartLine } from "@/lib/services/monitoring/service-charts";
import type { LlmCharts } from "@/lib/services/monitoring/llm-charts";
import { fetchJson, pollMs } from "./api";

/** The latest point of the line labelled `label` (or the first line), within the last three steps; null is no data. */
function latest(lines: ChartLine[], label?: string): number | null {
  const line = lines.find((l) => !label || l.label === label);
  if (!line) return null;
  for (let i = line.points.length - 1; i >= Math.max(0, line.points.length - 3); i -= 1)
    if (line.points[i].y !== null) return line.points[i].y;
  return null;
}

function Stat({ label, value, unit }: { label: string; value: number | null; unit?: ChartUnit }) {
  return (
    <div className="rounded-md border border-line px-3 py-2">
      <dt className="text-xs text-fg-muted">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">
        {value === null ? <span className="text-fg-muted">No data</span> : formatChartValue(value, unit)}
      </dd>
    </div>
  );
}

/**
 * What an LLM service is judged by, from its engine (vLLM) and GPUs (DCGM): time to first token,
 * time per output token, tokens per second, queue and batch size, prompt and output lengths, GPU
 * use. Polled like the other charts; a metric the cluster does not export reads "No data".
 */
export function LlmChartsPanel({
  namespace,
  service,
  range,
}: {
  namespace: string;
  service: string;
  range: ChartRange;
}) {
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ["monitoring-llm-charts", namespace, service, range],
    queryFn: () =>
      fetchJson<LlmCharts>(
        `/api/monitoring/services/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}/llm-charts?range=${range}`,
      ),
    refetchInterval: pollMs,
  });
  const updated = dataUpdatedAt ? (
    <>
      Updated <RelativeTime date={dataUpdatedAt} />
    </>
  ) : undefined;
  const note = data
    ? `One point every ${data.stepSeconds >= 60 ? `${data.stepSeconds / 60} min` : `${data.stepSeconds} s`}.`
    : undefined;
  const panel = (
    title: string,
    series: ChartLine[],
    unit: ChartUnit,
    emptyMessage = "No data: Prometheus has no such series for this service in this range.",
  ) => (
    <LineChartPanel
      title={title}
      description={note}
      lastUpdated={updated}
      series={series}
      xKind="time"
      unit={unit}
      emptyMessage={emptyMessage}
    />
  );
  return (
    <section aria-labelledby="llm-serving-heading" className="space-y-3">
      <h2 id="llm-serving-heading" className="text-sm font-semibold">
        LLM serving
      </h2>
      {error && (
        <Notice tone="warning" live="polite">
          LLM charts could not {data ? "refresh" : "load"}: {error.message}
        </Notice>
      )}
      {!data && !error && <LoadingState label="Loading LLM charts" rows={4} />}
      {data && (
        <>
          <dl aria-label="LLM serving now" className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-6">
            <Stat label="Time to first token p95" value={latest(data.ttftMs, "p95")} unit="ms" />
            <Stat label="Time per output token p50" value={latest(data.tpotMs, "p50")} unit="ms" />
            <Stat label="Tokens per second" value={latest(data.tokensPerSecond)} unit="tokens/s" />
            <Stat label="Queue size" value={latest(data.queueSize)} unit="count" />
            <Stat label="Batch size" value={latest(data.batchSize)} unit="count" />
            <Stat label="GPU utilisation" value={latest(data.gpuUtilisation)} unit="%" />
          </dl>
          <div className="grid gap-4 xl:grid-cols-2">
            {panel("Time to first token (p50, p95)", data.ttftMs, "ms")}
            {panel("Time per output token (p50, p95)", data.tpotMs, "ms")}
            {panel("Generated tokens per second", data.tokensPerSecond, "tokens/s")}
            {panel("Queue size (requests waiting)", data.queueSize, "count")}
            {panel("Batch size (requests running)", data.batchSize, "count")}
            {panel("KV cache in use", data.kvCacheUsage, "share")}
            {panel("Prompt length, tokens (p50, p95)", data.promptTokens, "tokens")}
            {panel("Generated length, tokens (p50, p95)", data.generatedTokens, "tokens")}
            {panel(
              "GPU utilisation",
              data.gpuUtilisation,
              "%",
              "No data: no DCGM exporter series for this service's pods.",
            )}
            {panel(
              "GPU memory in use",
              data.gpuMemoryGiB,
              "GiB",
              "No data: no DCGM exporter series for this service's pods.",
            )}
          </div>
        </>
      )}
    </section>
  );
}
