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

/** The latest point of a line, within the last three steps; null is no data. */
function latestOf(line: ChartLine): number | null {
  for (let i = line.points.length - 1; i >= Math.max(0, line.points.length - 3); i -= 1)
    if (line.points[i].y !== null) return line.points[i].y;
  return null;
}

/**
 * Now, over the lines whose label starts with `prefix` (all when none): one line is the service; during
 * a canary there is one per revision, and the figure is their sum (queue, tokens/s) or the worst (latency).
 */
function latest(lines: ChartLine[] | null, combine: "sum" | "max" | "mean", prefix = ""): number | null {
  const values = (lines ?? [])
    .filter((line) => line.label.startsWith(prefix))
    .map(latestOf)
    .filter((value): value is number => value !== null);
  if (!values.length) return null;
  if (combine === "max") return Math.max(...values);
  const sum = values.reduce((total, value) => total + value, 0);
  return combine === "sum" ? sum : sum / values.length;
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

const runtimeNames = { vllm: "vLLM", tgi: "TGI" } as const;

/**
 * What an LLM service is judged by, from its engine (vLLM or TGI) and GPUs (DCGM): time to first
 * token, time per output token, tokens per second, queue and batch size, prompt and output lengths,
 * GPU use. Polled like the other charts; a metric the cluster does not export reads "No data", and a
 * measure the runtime never exports is named as such, with the closest one it has.
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
    description = note,
  ) => (
    <LineChartPanel
      title={title}
      description={description}
      lastUpdated={updated}
      series={series}
      xKind="time"
      unit={unit}
      emptyMessage={emptyMessage}
    />
  );
  const notExported = (title: string, why: string) => (
    <figure aria-label={title} className="rounded-md border border-dashed border-line p-4">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <p className="mt-2 text-sm text-fg-muted">{why}</p>
    </figure>
  );
  const runtime = data ? runtimeNames[data.runtime] : "";
  const isCanary = (data?.revisions.length ?? 0) > 1;
  return (
    <section aria-labelledby="llm-serving-heading" className="space-y-3">
      <h2 id="llm-serving-heading" className="text-sm font-semibold">
        LLM serving{data && <span className="ml-2 font-normal text-fg-muted">{runtime} metrics</span>}
      </h2>
      {error && (
        <Notice tone="warning" live="polite">
          LLM charts could not {data ? "refresh" : "load"}: {error.message}
        </Notice>
      )}
      {!data && !error && <LoadingState label="Loading LLM charts" rows={4} />}
      {data && isCanary && (
        <p className="text-sm text-fg-muted">
          A canary is running: each revision carrying traffic has its own lines; the figures below are the
          worst revision&apos;s latency and the service&apos;s total queue and tokens.
        </p>
      )}
      {data && (
        <>
          <dl aria-label="LLM serving now" className="grid grid-cols-2 gap-2 sm:grid-cols-3 xl:grid-cols-6">
            {data.ttftMs ? (
              <Stat label="Time to first token p95" value={latest(data.ttftMs, "max", "p95")} unit="ms" />
            ) : (
              <Stat label="Queue wait p95" value={latest(data.queueWaitMs, "max", "p95")} unit="ms" />
            )}
            <Stat label="Time per output token p50" value={latest(data.tpotMs, "max", "p50")} unit="ms" />
            <Stat label="Tokens per second" value={latest(data.tokensPerSecond, "sum")} unit="tokens/s" />
            <Stat label="Queue size" value={latest(data.queueSize, "sum")} unit="count" />
            <Stat label="Batch size" value={latest(data.batchSize, "sum")} unit="count" />
            <Stat label="GPU utilisation" value={latest(data.gpuUtilisation, "mean")} unit="%" />
          </dl>
          <div className="grid gap-4 xl:grid-cols-2">
            {data.ttftMs
              ? panel("Time to first token (p50, p95)", data.ttftMs, "ms")
              : notExported(
                  "Time to first token",
                  `Not exported by ${runtime}: its router has no time-to-first-token series. The queue wait below is the part of it ${runtime} measures (a lower bound: prefill comes on top).`,
                )}
            {data.queueWaitMs &&
              panel(
                "Queue wait before prefill (p50, p95)",
                data.queueWaitMs,
                "ms",
                undefined,
                `tgi_request_queue_duration: the closest measure to time to first token ${runtime} exports. ${note}`,
              )}
            {panel(
              data.runtime === "tgi"
                ? "Mean time per output token, per request (p50, p95)"
                : "Time per output token (p50, p95)",
              data.tpotMs,
              "ms",
            )}
            {panel("Generated tokens per second", data.tokensPerSecond, "tokens/s")}
            {panel("Queue size (requests waiting)", data.queueSize, "count")}
            {panel("Batch size (requests running)", data.batchSize, "count")}
            {data.kvCacheUsage
              ? panel("KV cache in use", data.kvCacheUsage, "share")
              : notExported("KV cache in use", `Not exported by ${runtime}.`)}
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
