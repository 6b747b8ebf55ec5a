"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { DenseLineChartPanel } from "@/components/charts/dense-line-chart-panel";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import type { Comparison } from "@/lib/dal/experiments";
import type { DenseSeries } from "@/lib/domain/charts/series";
import { prepareMetricSeries, type RunSeriesPoints } from "@/lib/domain/metrics/comparison";
import { decodeSeries } from "@/lib/domain/metrics/series-codec";
import { compareApiUrl, compareUrl, type CompareOptions } from "./compare-url";
import { ComparisonControls } from "./comparison-controls";
import { MetricSummaryTable } from "./metric-summary-table";
import { ParallelCoordinates } from "./parallel-coordinates";
import { ParamDiffTable } from "./param-diff-table";
import { RunLegend } from "./run-legend";

const pollMs = 3_000;
const noSeries: DenseSeries[] = [];

// No request headers of its own: the page's preload of the same address (page.tsx) answers it only if the requests match.
async function fetchComparison(options: CompareOptions): Promise<Comparison> {
  const response = await fetch(compareApiUrl(options));
  const body = await response.json();
  performance.mark("compare:fetched");
  if (!response.ok)
    throw new Error(body?.error?.message ?? `The comparison could not be loaded (${response.status}).`);
  return body as Comparison;
}

/** The comparison page body: loads from the metric cache, polls while runs are still being copied. */
export function ComparisonView({ options: initial }: { options: CompareOptions }) {
  const router = useRouter();
  const pathname = usePathname();
  const [options, setOptions] = useState(initial);
  const update = (changes: Partial<CompareOptions>) => {
    const next = { ...options, ...changes };
    setOptions(next);
    router.replace(compareUrl(next), { scroll: false });
  };

  const query = useQuery({
    queryKey: ["experiments", "compare", options.runs, options.metrics, options.x],
    queryFn: () => fetchComparison(options),
    refetchInterval: (q) => {
      const data = q.state.data;
      return data && (data.pending.length > 0 || data.runs.some((r) => !r.isComplete)) ? pollMs : false;
    },
    placeholderData: (previous) => previous,
  });

  const data = query.data;
  const decoded = useMemo(() => {
    if (!data) return new Map<string, RunSeriesPoints[]>();
    const names = new Map(data.runs.map((r) => [r.runId, r.runName]));
    return new Map(
      data.metrics.map((metric) => [
        metric,
        data.runs.flatMap((run) => {
          const encoded = data.series[metric]?.[run.runId];
          if (!encoded) return [];
          const series = decodeSeries(encoded);
          return [{ runId: run.runId, label: names.get(run.runId) ?? run.runId, ...series }];
        }),
      ]),
    );
  }, [data]);
  // Prepared once per answer and option change, so a re-render that changes neither (a highlight) redraws from the same series.
  const prepared = useMemo(() => {
    const byMetric = new Map(
      [...decoded].map(([metric, lines]) => [
        metric,
        prepareMetricSeries(lines, { x: options.x, smoothing: options.smoothing }),
      ]),
    );
    if (decoded.size) performance.mark("compare:prepared");
    return byMetric;
  }, [decoded, options.x, options.smoothing]);
  // The tables below the charts (up to 100 runs × 20 metrics of cells, the parameters, the parallel
  // coordinates) render just after the charts, so the charts are not held up by what is further down.
  const tables = useDeferredValue(data);
  // A run's colour and dash follow its place in the comparison, the same in every chart and the legend.
  const runOrder = useMemo(() => new Map(data?.runs.map((r, index) => [r.runId, index])), [data]);
  const styleIndexOf = useCallback((runId: string) => runOrder.get(runId) ?? 0, [runOrder]);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);

  if (query.isError && !data)
    return (
      <ErrorState
        title="Could not load the comparison"
        message={(query.error as Error).message}
        onRetry={() => void query.refetch()}
      />
    );
  if (!data) return <LoadingState label="Loading the comparison" rows={6} />;

  const shareUrl =
    typeof window === "undefined" ? `${pathname}` : `${window.location.origin}${compareUrl(options)}`;
  const isLive = (r: Comparison["runs"][number]) => r.status === "RUNNING" || r.status === "SCHEDULED";
  const stillTraining = data.runs.filter((r) => r.syncedAt !== null && !r.isComplete && isLive(r));
  const sampledOnly = data.runs.filter((r) => r.syncedAt !== null && !r.isComplete && !isLive(r));
  const charted = options.runs.length - data.pending.length;
  return (
    <div className="space-y-6">
      {data.pending.length > 0 && (
        <Notice
          tone="info"
          title={`${data.pending.length} of ${options.runs.length} runs are not in Switchboard's copy yet`}
          live="polite"
        >
          <span className="block">
            Their parameters and latest values are in the tables below already; their charts appear one run at
            a time as each copy lands from MLflow.
          </span>
          <span className="mt-2 flex items-center gap-2">
            <progress
              className="h-2 w-40"
              max={options.runs.length}
              value={charted}
              aria-label="Runs charted"
            />
            <span>
              Charts ready for {charted} of {options.runs.length} runs
            </span>
          </span>
        </Notice>
      )}
      {stillTraining.length > 0 && (
        <Notice tone="info" title={`${stillTraining.length} runs are still training`}>
          Their charts refresh as new steps reach MLflow.
        </Notice>
      )}
      {sampledOnly.length > 0 && data.pending.length === 0 && (
        <Notice tone="info" title={`${sampledOnly.length} runs are drawn from a sample of each history`}>
          Every run&apos;s last step is exact; the whole histories are being copied, and minimums and maximums
          appear once they are in.
        </Notice>
      )}
      <ComparisonControls
        options={options}
        metricKeys={data.metricKeys}
        shownMetrics={data.metrics}
        onChange={update}
        share={<CopyButton value={shareUrl} label="Copy link to this comparison" />}
      />
      <section aria-labelledby="charts-heading" className="space-y-3">
        <h2 id="charts-heading" className="text-lg font-semibold">
          Metric charts
        </h2>
        <p className="text-xs text-fg-muted">
          Each line keeps its true minimum and maximum (up to {data.pointsPerSeries} points per run,
          downsampled on the server from the full history).
        </p>
        {data.runs.length > 0 && (
          <RunLegend
            runs={data.runs.map((r) => ({ runId: r.runId, label: r.runName }))}
            highlightedId={highlightedId}
            onHighlight={setHighlightedId}
          />
        )}
        <div className="grid gap-4 lg:grid-cols-2">
          {data.metrics.map((metric) => (
            <DenseLineChartPanel
              key={metric}
              title={metric}
              headingLevel={3}
              series={prepared.get(metric) ?? noSeries}
              xKind={options.x}
              isLogScale={options.isLog}
              styleIndexOf={styleIndexOf}
              highlightedId={highlightedId}
              hasLegend={false}
              size="md"
              emptyMessage={
                data.pending.length
                  ? "Waiting for the first copy of these runs from MLflow…"
                  : "None of these runs logged this metric yet."
              }
            />
          ))}
        </div>
      </section>
      {tables && (
        <>
          <Card
            title="Final and best values"
            description="Best is the minimum for losses and errors, the maximum otherwise; the best run per metric is marked."
            padding="none"
          >
            <MetricSummaryTable
              runs={tables.runs}
              metrics={tables.metricKeys.filter((k) => tables.metrics.includes(k))}
              stats={tables.stats}
            />
          </Card>
          <Card
            title="Parameters"
            description="Rows whose values differ between runs are highlighted and listed first."
            padding="none"
          >
            <ParamDiffTable runs={tables.runs} />
          </Card>
          <ParallelCoordinates
            runs={tables.runs}
            stats={tables.stats}
            metrics={tables.metrics}
            colorBy={options.colorBy}
            onColorByChange={(colorBy) => update({ colorBy })}
          />
        </>
      )}
    </div>
  );
}
