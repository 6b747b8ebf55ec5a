"use client";

import { useQuery } from "@tanstack/react-query";
import { LineChartPanel } from "@/components/charts/line-chart-panel";
import type { ChartSeries } from "@/lib/domain/charts/series";
import { formatNumber } from "@/components/ui/format";
import type { MetricSeriesDto } from "@/lib/dal/runs";
import { livePollMs } from "./run-format";

/** At most this many points per chart: the history is thinned evenly, keeping the last point. */
const maxPoints = 200;

export function toChartSeries(metric: MetricSeriesDto): ChartSeries {
  const stride = Math.max(1, Math.ceil(metric.points.length / maxPoints));
  const points = metric.points
    .filter((_, i) => i % stride === 0 || i === metric.points.length - 1)
    .map((p) => ({ x: p.step, y: p.value }));
  return { id: metric.key, label: metric.key, points };
}

/** While the worker copies the run's histories from MLflow (a bounded sample first). */
const copyPollMs = 1_500;

/** The latest metrics, one small chart each, refreshed while the run is live and while its copy is on its way. */
export function RunMetrics({ runId, isLive }: { runId: string; isLive: boolean }) {
  const { data, isError } = useQuery({
    // isLive is part of the key so the run's end triggers one last read with the final epochs.
    queryKey: ["run-metrics", runId, isLive],
    queryFn: async (): Promise<{ series: MetricSeriesDto[]; isCopying: boolean }> => {
      const response = await fetch(`/api/runs/${runId}/metrics`, { cache: "no-store" });
      if (!response.ok) throw new Error(`metrics: ${response.status}`);
      return response.json();
    },
    refetchInterval: (q) => (q.state.data?.isCopying ? copyPollMs : isLive ? livePollMs * 2 : false),
    placeholderData: (previous) => previous,
  });
  if (isError)
    return (
      <p className="text-sm text-fg-muted">Metrics are unavailable right now (MLflow did not answer).</p>
    );
  if (!data) return <p className="text-sm text-fg-muted">Loading metrics…</p>;
  if (data.isCopying) {
    return (
      <p className="text-sm text-fg-muted" role="status">
        Copying this run&apos;s metric histories from MLflow; the charts appear here in a moment.
      </p>
    );
  }
  if (!data.series.length) return <p className="text-sm text-fg-muted">No metrics logged yet.</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {data.series.map((metric) => (
        <LineChartPanel
          key={metric.key}
          title={metric.key}
          description={`Latest ${formatNumber(metric.lastValue ?? metric.points.at(-1)?.value, 4)}`}
          series={[toChartSeries(metric)]}
          xKind="step"
          size="sm"
          headingLevel={3}
        />
      ))}
    </div>
  );
}
