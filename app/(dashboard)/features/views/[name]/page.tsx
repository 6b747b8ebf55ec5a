import type { Metadata } from "next";
import Link from "next/link";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { FreshnessBadge, freshnessSentence } from "@/components/features/freshness-badge";
import { modelHref } from "@/components/models/model-lists";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Mono } from "@/components/ui/code";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { formatDuration } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { requirePageUser } from "@/lib/auth/session";
import { type FeatureViewDetail, getView } from "@/lib/dal/features";

export const metadata: Metadata = { title: "Feature view" };

type Run = FeatureViewDetail["lineage"]["runs"][number];
type Interval = FeatureViewDetail["materializations"][number];
type Feature = FeatureViewDetail["features"][number];

/** A run Switchboard launched opens its run page; any other MLflow run opens in the comparison view. */
const runHref = (run: Run) =>
  run.switchboardRunId
    ? `/runs/${encodeURIComponent(run.switchboardRunId)}`
    : `/experiments/compare?runs=${encodeURIComponent(run.mlflowRunId)}`;

export default async function FeatureViewPage({ params }: { params: Promise<{ name: string }> }) {
  const user = await requirePageUser("features:read");
  const name = decodeSegment((await params).name);
  const result = await load(() => getView(user, name), { isNotFoundFatal: true });
  const breadcrumbs = [{ label: "Features", href: "/features" }, { label: name }];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={name} breadcrumbs={breadcrumbs} />
        <SectionError title="This feature view could not be loaded" message={result.message} />
      </>
    );
  }
  const view = result.value;
  const { lineage } = view;
  return (
    <>
      <PageHeader
        title={view.name}
        breadcrumbs={breadcrumbs}
        description={view.description ?? undefined}
        meta={
          <>
            <FreshnessBadge state={view.freshness.state} />
            <span>Entities: {view.entities.join(", ") || "none"}</span>
            {view.owner && <span>Owner: {view.owner}</span>}
          </>
        }
      />
      {view.freshness.state === "stale" || view.freshness.state === "never" ? (
        <Notice tone="danger" title="Stale: older than its TTL" className="mb-6">
          {freshnessSentence(view.freshness)} The models below were trained on it; check the materialization
          job.
        </Notice>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card
            title="Models trained on it"
            isLandmark
            description="Model versions registered from runs that read this view through a feature service."
          >
            {lineage.error ? (
              <SectionError title="Lineage could not be loaded" message={lineage.error} />
            ) : lineage.models.length === 0 ? (
              <p className="text-sm text-fg-muted">
                {view.services.length
                  ? "No registered model comes from a run that used this view's feature services."
                  : "No feature service includes this view, so no training run reads it through one."}
              </p>
            ) : (
              <ul className="space-y-3">
                {lineage.models.map((model) => (
                  <li key={model.name}>
                    <Link
                      href={modelHref(model.name)}
                      className="font-mono text-sm font-medium hover:underline"
                    >
                      {model.name}
                    </Link>
                    <ul className="mt-1 flex flex-wrap gap-2">
                      {model.versions.map((v) => (
                        <li key={v.version}>
                          <Link
                            href={modelHref(model.name, v.version)}
                            className="inline-flex items-center gap-1 text-sm hover:underline"
                          >
                            Version {v.version}
                            {v.stage !== "None" && <Badge tone="info">{v.stage}</Badge>}
                            {v.aliases.map((alias) => (
                              <Badge key={alias}>@{alias}</Badge>
                            ))}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card
            title="Training runs"
            description="MLflow runs tagged with a feature service that includes this view (feast.feature_service), newest first."
            padding="none"
          >
            <DataTable<Run>
              caption={`Training runs that used ${view.name}`}
              rows={lineage.runs}
              rowKey={(run) => run.mlflowRunId}
              rowHref={runHref}
              maxHeightClassName="max-h-96"
              empty={
                lineage.error
                  ? "MLflow did not answer."
                  : "No training run recorded a feature service with this view."
              }
              columns={[
                {
                  key: "run",
                  header: "Run",
                  isRowHeader: true,
                  cell: (run) => <span className="font-medium">{run.runName}</span>,
                },
                {
                  key: "service",
                  header: "Feature service",
                  cell: (run) => <Mono>{run.featureService}</Mono>,
                },
                {
                  key: "experiment",
                  header: "Experiment",
                  hideBelow: "md",
                  cell: (run) => run.experimentName,
                },
                {
                  key: "status",
                  header: "Status",
                  hideBelow: "sm",
                  cell: (run) => <StatusBadge domain="run" status={run.status} />,
                },
                {
                  key: "started",
                  header: "Started",
                  hideBelow: "lg",
                  cell: (run) => (run.startTime ? <RelativeTime date={run.startTime} /> : "—"),
                },
              ]}
            />
            {lineage.isTruncated && (
              <p className="px-4 py-2 text-xs text-fg-muted">
                Showing the newest 100 runs per feature service.
              </p>
            )}
          </Card>
          <Card
            title="Schema"
            description="The view's features and the entity join keys they are looked up by."
            padding="none"
          >
            <DataTable<Feature>
              caption={`Features of ${view.name}`}
              rows={view.features}
              rowKey={(f) => f.name}
              empty="This view declares no features."
              columns={[
                { key: "name", header: "Feature", isRowHeader: true, cell: (f) => <Mono>{f.name}</Mono> },
                { key: "type", header: "Type", cell: (f) => f.valueType },
                {
                  key: "description",
                  header: "Description",
                  canWrap: true,
                  hideBelow: "sm",
                  cell: (f) => f.description ?? <span className="text-fg-subtle">—</span>,
                },
              ]}
            />
            <p className="px-4 py-3 text-sm text-fg-muted">
              Join keys:{" "}
              {view.entityColumns.map((c, index) => (
                <span key={c.entity}>
                  {index > 0 && ", "}
                  <Mono>{c.joinKey}</Mono> ({c.entity}, {c.valueType})
                </span>
              ))}
            </p>
          </Card>
          <Card
            title="Materialization history"
            description={`Intervals written to the online store, newest first (${view.materializationCount} in the registry).`}
            padding="none"
          >
            <DataTable<Interval>
              caption={`Materialization intervals of ${view.name}`}
              rows={view.materializations}
              rowKey={(i) => `${i.start}/${i.end}`}
              maxHeightClassName="max-h-96"
              empty={
                view.isOnline ? "Never materialized." : "Not materialized: the view is not served online."
              }
              columns={[
                { key: "end", header: "Up to", isRowHeader: true, cell: (i) => <DateTime value={i.end} /> },
                { key: "start", header: "From", hideBelow: "sm", cell: (i) => <DateTime value={i.start} /> },
                {
                  key: "span",
                  header: "Covers",
                  value: (i) => Date.parse(i.end) - Date.parse(i.start),
                  format: "duration",
                },
              ]}
            />
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Freshness">
            <p className="mb-3 text-sm">{freshnessSentence(view.freshness)}</p>
            <KeyValueList
              items={[
                {
                  label: "Materialized up to",
                  value: view.freshness.lastMaterializedAt ? (
                    <DateTime value={view.freshness.lastMaterializedAt} />
                  ) : (
                    "Never"
                  ),
                },
                {
                  label: "TTL",
                  value: view.ttlSeconds ? formatDuration(view.ttlSeconds * 1000) : "None (never expires)",
                },
                {
                  label: "Registry updated",
                  value: view.lastUpdatedAt ? <DateTime value={view.lastUpdatedAt} /> : "—",
                },
              ]}
            />
          </Card>
          <Card title="Source and stores">
            <KeyValueList
              items={[
                {
                  label: "Batch source",
                  value: view.source ? <Mono className="break-all">{view.source.name}</Mono> : "—",
                },
                {
                  label: "Reads",
                  value: !view.source ? (
                    "—"
                  ) : view.source.datasetHref ? (
                    <Link href={view.source.datasetHref} className="font-mono text-xs hover:underline">
                      {view.source.table}
                    </Link>
                  ) : (
                    <Mono className="break-all">
                      {view.source.table ?? view.source.path ?? view.source.query ?? "—"}
                      {view.source.format ? ` (${view.source.format})` : ""}
                    </Mono>
                  ),
                },
                {
                  label: "Event time",
                  value: view.source?.timestampField ? <Mono>{view.source.timestampField}</Mono> : "—",
                },
                {
                  label: "Online store",
                  value: view.isOnline ? (view.project.onlineStore ?? "Served online") : "Not served online",
                },
                {
                  label: "Offline store",
                  value: view.isOffline ? (view.project.offlineStore ?? "Offline") : "Not read offline",
                },
              ]}
            />
          </Card>
          <Card title="Feature services">
            {view.services.length === 0 ? (
              <p className="text-sm text-fg-muted">No feature service includes this view.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {view.services.map((service) => (
                  <li key={service}>
                    <Link
                      href={`/features/services#${encodeURIComponent(service)}`}
                      className="font-mono hover:underline"
                    >
                      {service}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Tags">
            {view.tags.length === 0 ? (
              <p className="text-sm text-fg-muted">No tags.</p>
            ) : (
              <ul className="flex flex-wrap gap-2">
                {view.tags.map((tag) => (
                  <li key={tag.key}>
                    <Badge>
                      {tag.key}: {tag.value}
                    </Badge>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
