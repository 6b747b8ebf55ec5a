"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import type { MonitoringOverview, OverviewService } from "@/lib/dal/monitoring";
import { fetchJson, pollMs } from "./api";
import { formatLatencyMs, formatRate, formatShare, MetricCell, NoData } from "./metric-cell";
import { ReadinessBadge, TrafficSplit } from "./readiness-badge";

function AlertsCell({ alerts }: { alerts: OverviewService["alerts"] }) {
  if (!alerts.firing && !alerts.pending && !alerts.acknowledged)
    return <span className="text-xs text-fg-muted">None</span>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {alerts.firing > 0 && (
        <Badge tone="danger" size="sm" hasDot>
          {alerts.firing} firing
        </Badge>
      )}
      {alerts.pending > 0 && (
        <Badge tone="warning" size="sm">
          {alerts.pending} pending
        </Badge>
      )}
      {alerts.acknowledged > 0 && (
        <Badge tone="info" size="sm">
          {alerts.acknowledged} acknowledged
        </Badge>
      )}
    </span>
  );
}

const columns: DataTableColumn<OverviewService>[] = [
  {
    key: "service",
    header: "Service",
    isRowHeader: true,
    cell: (s) => (
      <Link href={s.href} className="font-medium text-accent hover:underline">
        {s.name}
      </Link>
    ),
  },
  {
    key: "model",
    header: "Model",
    cell: (s) =>
      s.model.name ? (
        <span>
          {s.model.name} <span className="text-fg-muted">v{s.model.version ?? "?"}</span>
        </span>
      ) : (
        <span className="text-fg-muted">{s.model.format ?? "Unknown"}</span>
      ),
  },
  {
    key: "readiness",
    header: "Readiness",
    canWrap: true,
    cell: (s) => <ReadinessBadge readiness={s.readiness} failing={s.failing} />,
  },
  { key: "alerts", header: "Alerts", cell: (s) => <AlertsCell alerts={s.alerts} /> },
  {
    key: "p95",
    header: "p95 latency",
    cell: (s) => (
      <MetricCell
        label={`${s.name} p95 latency`}
        value={s.metrics.p95Ms}
        series={s.metrics.sparklines.p95Ms}
        format={formatLatencyMs}
      />
    ),
  },
  {
    key: "errors",
    header: "Error rate",
    cell: (s) => (
      <MetricCell
        label={`${s.name} error rate`}
        value={s.metrics.errorShare}
        series={s.metrics.sparklines.errorShare}
        format={formatShare}
      />
    ),
  },
  {
    key: "rate",
    header: "Requests",
    cell: (s) => (
      <MetricCell
        label={`${s.name} request rate`}
        value={s.metrics.requestRate}
        series={s.metrics.sparklines.requestRate}
        format={formatRate}
      />
    ),
  },
  {
    key: "drift",
    header: "Drift share",
    cell: (s) =>
      s.drift ? (
        <span className={s.drift.share >= 0.5 ? "font-semibold text-danger" : undefined}>
          {s.drift.share.toFixed(2)}
        </span>
      ) : (
        <NoData />
      ),
  },
  { key: "traffic", header: "Traffic", cell: (s) => <TrafficSplit traffic={s.traffic} /> },
];

/** Every service, polled: readiness, model, canary split, latency, traffic, errors, drift and alerts. */
export function OverviewTable({ initial }: { initial: MonitoringOverview }) {
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ["monitoring-overview"],
    queryFn: () => fetchJson<MonitoringOverview>("/api/monitoring/overview"),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.generatedAt),
    refetchInterval: pollMs,
  });
  return (
    <div className="space-y-4">
      {error && (
        <Notice tone="warning" live="polite">
          Could not refresh: {error.message} The table shows the last data received.
        </Notice>
      )}
      {data.errors.kserve && <Notice tone="danger">KServe could not be read: {data.errors.kserve}</Notice>}
      {data.errors.prometheus && (
        <Notice tone="warning">
          Prometheus could not be read ({data.errors.prometheus}); metrics show as no data.
        </Notice>
      )}
      <Card
        title={`Services in ${data.namespace}`}
        description={`Latest values over a 1-minute window, sparklines for the last hour (${data.scheme === "knative" ? "Knative queue-proxy" : "KServe model-server"} metrics).`}
        lastUpdated={
          <>
            Updated <RelativeTime date={Math.max(dataUpdatedAt, Date.parse(data.generatedAt))} />
          </>
        }
        padding="none"
      >
        <DataTable
          caption="Inference services with their health"
          columns={columns}
          rows={data.services}
          rowKey={(s) => `${s.namespace}/${s.name}`}
          density="compact"
          isWide
          empty={<p className="p-4 text-sm text-fg-muted">No InferenceServices in {data.namespace}.</p>}
        />
      </Card>
    </div>
  );
}
