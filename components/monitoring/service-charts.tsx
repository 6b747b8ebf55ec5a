"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { LineChartPanel } from "@/components/charts/line-chart-panel";
import { cx } from "@/components/ui/cx";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ChartRange } from "@/lib/domain/monitoring/fleet-metrics";
import type { ServiceCharts } from "@/lib/services/monitoring/service-charts";
import { fetchJson, pollMs } from "./api";

const ranges: ChartRange[] = ["1h", "6h", "24h", "7d"];

/** Range picker as links: the range lives in the URL, so a chart view can be shared. */
function RangePicker({ current, basePath }: { current: ChartRange; basePath: string }) {
  return (
    <nav aria-label="Chart range" className="inline-flex rounded-md border border-line">
      {ranges.map((range) => (
        <Link
          key={range}
          href={`${basePath}?range=${range}`}
          scroll={false}
          aria-current={range === current ? "true" : undefined}
          className={cx(
            "px-2.5 py-1 text-xs font-medium",
            range === current ? "bg-accent-soft text-accent" : "text-fg-muted hover:text-fg",
          )}
        >
          {range}
        </Link>
      ))}
    </nav>
  );
}

/**
 * p50/p95/p99 latency, request rate and error rate per revision over the chosen range, polled.
 * Loaded by the browser so the page's status and alerts never wait on range queries.
 */
export function ServiceChartsPanel({
  namespace,
  service,
  range,
}: {
  namespace: string;
  service: string;
  range: ChartRange;
}) {
  const basePath = `/monitoring/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}`;
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ["monitoring-charts", namespace, service, range],
    queryFn: () =>
      fetchJson<ServiceCharts>(
        `/api/monitoring/services/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}/charts?range=${range}`,
      ),
    refetchInterval: pollMs,
  });
  const updated = dataUpdatedAt ? (
    <>
      Updated <RelativeTime date={dataUpdatedAt} />
    </>
  ) : undefined;
  const note = data
    ? `One point every ${data.stepSeconds >= 60 ? `${data.stepSeconds / 60} min` : `${data.stepSeconds} s`}, per revision.`
    : undefined;
  return (
    <section aria-label="Charts" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">Traffic and latency</h2>
        <RangePicker current={range} basePath={basePath} />
      </div>
      {error && (
        <Notice tone="warning" live="polite">
          Charts could not {data ? "refresh" : "load"}: {error.message}
        </Notice>
      )}
      {!data && !error && <LoadingState label="Loading charts" rows={4} />}
      {data && data.revisions.length > 0 && (
        <p className="text-xs text-fg-muted">
          Revisions carrying traffic:{" "}
          {data.revisions.map((revision, i) => (
            <span key={revision.revisionName}>
              {i > 0 && " · "}
              <span className="font-mono">{revision.revisionName}</span>
              {revision.version && ` v${revision.version}`} {revision.percent} %
              {!revision.hasLatency && " (no latency in this range yet)"}
            </span>
          ))}
        </p>
      )}
      {data && (
        <div className="grid gap-4 xl:grid-cols-2">
          <LineChartPanel
            title="Latency (p50, p95, p99)"
            description={note}
            lastUpdated={updated}
            series={data.latencyMs}
            xKind="time"
            unit="ms"
            emptyMessage="No data: Prometheus returned no latency for this range."
          />
          <LineChartPanel
            title="Request rate"
            description={note}
            lastUpdated={updated}
            series={data.requestRate}
            xKind="time"
            unit="req/s"
            emptyMessage="No data: Prometheus returned no requests for this range."
          />
          {data.errorShare && (
            <LineChartPanel
              title="Error rate (5xx)"
              description={note}
              lastUpdated={updated}
              series={data.errorShare}
              xKind="time"
              unit="share"
              emptyMessage="No data: no requests, or no 5xx series, in this range."
            />
          )}
        </div>
      )}
    </section>
  );
}
