import type { Metadata } from "next";
import Link from "next/link";
import { BarHistogram } from "@/components/charts/bar-histogram";
import { LineChartPanel } from "@/components/charts/line-chart-panel";
import { describeRange, DriftViewForm } from "@/components/drift/drift-view-form";
import { FeatureDriftTable } from "@/components/drift/feature-drift-table";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatInteger, formatPercent } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Stat, StatGrid } from "@/components/ui/stat";
import { requirePageUser } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/time-zone";
import { getServiceDrift } from "@/lib/dal/drift";
import { driftRanges } from "@/lib/validation/drift";

type Params = { namespace: string; service: string };
type Search = {
  range?: string | string[];
  window?: string | string[];
  feature?: string | string[];
  version?: string | string[];
};

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { service } = await params;
  return { title: `Drift · ${decodeURIComponent(service)}` };
}

const single = (value: string | string[] | undefined) =>
  typeof value === "string" && value ? value : undefined;

export default async function ServiceDriftPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Search>;
}) {
  const user = await requirePageUser("monitoring:read");
  const { namespace, service } = await params;
  const [search, timeZone] = await Promise.all([searchParams, getTimeZone()]);
  const view = await getServiceDrift(user, {
    namespace: decodeURIComponent(namespace),
    service: decodeURIComponent(service),
    range: single(search.range) as keyof typeof driftRanges | undefined,
    window: single(search.window),
    feature: single(search.feature),
    version: single(search.version),
  });
  const servicePath = `/monitoring/${encodeURIComponent(view.namespace)}/${encodeURIComponent(view.service)}`;
  const path = `${servicePath}/drift`;
  const hrefWith = (changes: Record<string, string | undefined>) => {
    const query = new URLSearchParams();
    const merged = {
      range: view.range,
      version: view.monitor?.modelVersion,
      window: view.selected?.windowStart,
      feature: view.selected?.overlay?.feature,
      ...changes,
    };
    for (const [key, value] of Object.entries(merged)) if (value) query.set(key, value);
    return `${path}?${query}`;
  };
  const refused = view.ingest
    .filter((row) => !["accepted-request", "accepted-response", "unmonitored"].includes(row.outcome))
    .reduce((sum, row) => sum + row.count, 0);
  const accepted = view.ingest.find((row) => row.outcome === "accepted-request")?.count ?? 0;

  return (
    <>
      <PageHeader
        title={`Drift · ${view.service}`}
        breadcrumbs={[
          { label: "Monitoring", href: "/monitoring" },
          { label: `${view.namespace}/${view.service}`, href: servicePath },
          { label: "Drift" },
        ]}
        description="Inputs the model receives (KServe payload logger) against its training data, per feature and window, with Evidently's default tests and thresholds."
        meta={
          view.monitor && (
            <span className="flex flex-wrap items-center gap-2 text-xs text-fg-muted">
              <Badge>
                {view.monitor.modelName} v{view.monitor.modelVersion}
              </Badge>
              <span>{view.monitor.featureNames.length} features</span>
              <span>{view.monitor.windowMinutes}-minute windows</span>
            </span>
          )
        }
      />
      {view.revisions.length > 0 && (
        <Card
          title="Revisions carrying traffic"
          description="Each revision's requests feed the drift monitor of the model version it serves; during a canary both are watched."
          padding="none"
          className="mb-6"
        >
          <DataTable
            caption="Revisions carrying traffic, with their drift"
            rows={view.revisions}
            rowKey={(row) => row.revisionName}
            columns={[
              { key: "revision", header: "Revision", isRowHeader: true, cell: (row) => row.revisionName },
              {
                key: "version",
                header: "Model version",
                cell: (row) =>
                  row.modelVersion ? (
                    row.monitorId && row.modelVersion !== view.monitor?.modelVersion ? (
                      <Link
                        className="text-accent underline"
                        href={hrefWith({ version: row.modelVersion, window: undefined, feature: undefined })}
                      >
                        v{row.modelVersion}
                      </Link>
                    ) : (
                      <span>
                        v{row.modelVersion}
                        {row.monitorId && row.modelVersion === view.monitor?.modelVersion && (
                          <span className="ml-2 text-xs text-fg-muted">(shown below)</span>
                        )}
                      </span>
                    )
                  ) : (
                    "Unknown"
                  ),
              },
              { key: "traffic", header: "Traffic", value: (row) => row.percent / 100, format: "percent" },
              {
                key: "share",
                header: "Latest drift share",
                cell: (row) =>
                  row.latest ? (
                    <span className="flex items-center gap-2">
                      {formatPercent(row.latest.share, 0)}
                      {row.latest.isDrifted && <Badge tone="danger">Drifted</Badge>}
                    </span>
                  ) : row.monitorId ? (
                    "No window in range"
                  ) : (
                    "No payload from this revision yet"
                  ),
              },
              {
                key: "rows",
                header: "Rows in latest window",
                cell: (row) => (row.latest ? formatInteger(row.latest.rows) : "—"),
              },
              {
                key: "windows",
                header: "Windows drifted",
                cell: (row) => (row.monitorId ? `${row.driftedWindowCount} / ${row.windowCount}` : "—"),
              },
            ]}
          />
        </Card>
      )}
      {!view.monitor ? (
        <Card>
          <EmptyState
            title="No drift monitor for this service yet"
            description="A monitor starts with the first request payload the service's KServe logger posts to /api/ingest/kserve; its reference is built from the served model version's training data."
          />
        </Card>
      ) : (
        <div className="space-y-6">
          <StatGrid>
            <Stat
              label="Dataset drift share"
              value={view.selected ? formatPercent(view.selected.share, 0) : "—"}
              hint={
                view.selected
                  ? `${view.selected.driftedCount} of ${view.selected.evaluatedCount} features drifted`
                  : "No window yet"
              }
            />
            <Stat
              label="Rows in window"
              value={view.selected ? formatInteger(view.selected.rows) : "—"}
              hint={view.selected ? formatDateTime(view.selected.windowStart, { timeZone }) : undefined}
            />
            <Stat
              label="Windows drifted"
              value={`${view.windows.filter((window) => window.isDrifted).length} / ${view.windows.length}`}
              hint={describeRange(view.range)}
            />
            <Stat
              label="Events accepted"
              value={formatInteger(accepted)}
              hint={`${formatInteger(refused)} refused, all services, ${describeRange(view.range).toLowerCase()}`}
            />
          </StatGrid>

          <LineChartPanel
            title="Dataset drift share"
            description="Share of evaluated features that drifted in each window, one line per model version serving traffic; the dataset drifts at 50 %."
            series={view.shareSeries}
            xKind="time"
            unit="share"
            referenceLines={[{ y: view.driftShareThreshold, label: "Dataset drift 0.5" }]}
          />
          {view.scoreCharts.map((chart) => (
            <LineChartPanel
              key={chart.scoreKind}
              title={
                chart.scoreKind === "distance"
                  ? "Feature drift scores (distance)"
                  : "Feature drift tests (p-value)"
              }
              description={
                chart.scoreKind === "distance"
                  ? `Drift when a score reaches ${chart.threshold}. The most drifted features are drawn.`
                  : `Drift when a p-value falls below ${chart.threshold}. The most drifted features are drawn.`
              }
              series={chart.series}
              xKind="time"
              referenceLines={[{ y: chart.threshold, label: `Threshold ${chart.threshold}` }]}
            />
          ))}

          <Card title="Window and feature">
            <DriftViewForm
              action={path}
              range={view.range}
              ranges={Object.keys(driftRanges)}
              windows={view.windows}
              selectedWindow={view.selected?.windowStart}
              features={view.monitor.featureNames}
              selectedFeature={view.selected?.overlay?.feature}
              timeZone={timeZone}
            />
          </Card>

          {view.selected && (
            <>
              <Card
                title="Features"
                description={`Window starting ${formatDateTime(view.selected.windowStart, { timeZone })}`}
                padding="none"
              >
                <FeatureDriftTable
                  features={view.selected.features}
                  featureHref={(feature) => hrefWith({ feature })}
                />
              </Card>
              {view.selected.overlay && (
                <BarHistogram
                  title={`${view.selected.overlay.feature}: reference vs current`}
                  description={`Share of rows per ${view.selected.overlay.kind === "numeric" ? "reference bin" : "category"}. Reference ${formatInteger(view.selected.overlay.referenceCount)} rows, current ${formatInteger(view.selected.overlay.currentCount)} rows (${formatInteger(view.selected.overlay.currentMissing)} missing).`}
                  bins={view.selected.overlay.bins}
                  referenceLabel="Reference (training)"
                  currentLabel="Current (serving)"
                />
              )}
            </>
          )}

          <Card
            title="Payload-logger events"
            description={`All services, ${describeRange(view.range).toLowerCase()}: accepted, and refused by reason.`}
            padding="none"
          >
            <DataTable
              caption="Payload-logger events by outcome"
              rows={view.ingest}
              rowKey={(row) => row.outcome}
              columns={[
                { key: "outcome", header: "Outcome", cell: (row) => row.outcome },
                { key: "count", header: "Events", value: (row) => row.count, format: "integer" },
              ]}
              empty="No events received."
            />
          </Card>
        </div>
      )}
    </>
  );
}
