import type { Metadata } from "next";
import { Suspense } from "react";
import { ColumnsTable, humanizeTableType } from "@/components/datasets/dataset-lists";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionBoundary, SectionError } from "@/components/datasets/section-error";
import {
  LineageSection,
  QualitySection,
  QualityStat,
  RowCountStat,
  SampleRowsSection,
  UsageSection,
  type TableReads,
} from "@/components/datasets/table-sections";
import { FedFeatureViewsSection } from "@/components/features/fed-views-section";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { DateTime } from "@/components/ui/date-time";
import { KeyValueList } from "@/components/ui/key-value-list";
import { LoadingState, Skeleton } from "@/components/ui/loading-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Stat, StatGrid } from "@/components/ui/stat";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import {
  datasetHref,
  getLatestQuality,
  getLineage,
  getRowCount,
  getSampleRows,
  getTable,
  getUsage,
  sampleRowCount,
} from "@/lib/dal/datasets";
import { viewsFedByTable } from "@/lib/dal/features";

type Params = { catalog: string; schema: string; table: string };

const fullNameOf = ({ catalog, schema, table }: Params) =>
  [catalog, schema, table].map(decodeSegment).join(".");

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${fullNameOf(await params)} · Datasets` };
}

function StatPlaceholder({ label }: { label: string }) {
  return (
    <div
      role="status"
      aria-label={`Loading ${label.toLowerCase()}`}
      className="rounded-lg border border-line bg-surface px-4 py-3 shadow-card"
    >
      <p className="text-xs font-medium text-fg-muted">{label}</p>
      <Skeleton className="mt-2 h-7 w-24" />
      <Skeleton className="mt-2 h-3 w-32" />
    </div>
  );
}

export default async function TablePage({ params }: { params: Promise<Params> }) {
  const user = await requirePageUser("datasets:read");
  const fullName = fullNameOf(await params);
  const [catalog, schema, name] = fullName.split(".");
  const breadcrumbs = [
    { label: "Datasets", href: "/datasets" },
    { label: catalog, href: datasetHref(catalog) },
    { label: schema, href: datasetHref(`${catalog}.${schema}`) },
    { label: name },
  ];
  const result = await load(() => getTable(user, fullName), { isNotFoundFatal: true });
  if (!result.ok) {
    return (
      <>
        <PageHeader title={<span className="font-mono">{name}</span>} breadcrumbs={breadcrumbs} />
        <Card>
          <SectionError title="Table details unavailable" message={result.message} />
        </Card>
      </>
    );
  }
  const table = result.value;
  const partitionColumns = table.columns
    .filter((c) => c.partitionIndex !== null)
    .sort((a, b) => a.partitionIndex! - b.partitionIndex!);
  // Started together now, each drawn by its section as it arrives (one quality read serves both its places).
  const fullTableName = table.fullName;
  const reads: TableReads = {
    rowCount: load(() => getRowCount(user, fullTableName)),
    sampleRows: load(() => getSampleRows(user, fullTableName)),
    quality: load(() => getLatestQuality(user, fullTableName)),
    lineage: load(() => getLineage(user, fullTableName)),
    usage: load(() => getUsage(user, fullTableName)),
  };

  return (
    <>
      <PageHeader
        title={<span className="font-mono">{table.name}</span>}
        breadcrumbs={breadcrumbs}
        description={table.comment ?? undefined}
        actions={
          can(user, "runs:launch") ? (
            <ButtonLink href={`/runs/new?dataset=${encodeURIComponent(table.fullName)}`}>
              Train on this table
            </ButtonLink>
          ) : undefined
        }
        meta={
          <>
            <Badge size="sm">{humanizeTableType(table.tableType)}</Badge>
            {table.format && (
              <Badge size="sm" tone="info">
                {table.format}
              </Badge>
            )}
            {table.owner && <span>Owner {table.owner}</span>}
            {table.updatedAt && (
              <span>
                Updated <RelativeTime date={table.updatedAt} />
              </span>
            )}
          </>
        }
      />
      <div className="space-y-6">
        <StatGrid>
          <SectionBoundary title="Row count failed">
            <Suspense fallback={<StatPlaceholder label="Rows" />}>
              <RowCountStat rowCount={reads.rowCount} />
            </Suspense>
          </SectionBoundary>
          <Stat
            label="Columns"
            value={String(table.columns.length)}
            hint={
              partitionColumns.length
                ? `Partitioned by ${partitionColumns.map((c) => c.name).join(", ")}`
                : "Not partitioned"
            }
          />
          <SectionBoundary title="Data quality failed">
            <Suspense fallback={<StatPlaceholder label="Data quality" />}>
              <QualityStat quality={reads.quality} />
            </Suspense>
          </SectionBoundary>
          <Stat
            label="Last updated"
            value={table.updatedAt ? <RelativeTime date={table.updatedAt} /> : "—"}
            hint={table.updatedBy ?? undefined}
          />
        </StatGrid>

        <div className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(20rem,1fr)]">
          <div className="min-w-0 space-y-6">
            <Card
              title="Columns"
              description={`${table.columns.length} columns, in table order`}
              padding="none"
              isLandmark
            >
              <ColumnsTable columns={table.columns} fullName={table.fullName} />
            </Card>
            <Card
              title="Sample rows"
              description={`The first ${sampleRowCount} rows, read through the SQL warehouse`}
              padding="none"
              isLandmark
            >
              <SectionBoundary title="Sample rows failed">
                <Suspense fallback={<LoadingState label="Reading sample rows" rows={6} />}>
                  <SampleRowsSection sampleRows={reads.sampleRows} fullName={fullTableName} />
                </Suspense>
              </SectionBoundary>
            </Card>
            <Card
              title="Data quality"
              description="The latest Great Expectations validation of this table"
              padding="none"
              isLandmark
            >
              <SectionBoundary title="Data quality failed">
                <Suspense fallback={<LoadingState label="Reading data-quality results" rows={5} />}>
                  <QualitySection quality={reads.quality} />
                </Suspense>
              </SectionBoundary>
            </Card>
          </div>

          <div className="min-w-0 space-y-6">
            <Card title="Details">
              <KeyValueList
                items={[
                  { label: "Full name", value: table.fullName, isMono: true },
                  { label: "Type", value: humanizeTableType(table.tableType) },
                  { label: "Format", value: table.format ?? "—" },
                  { label: "Owner", value: table.owner ?? "—" },
                  {
                    label: "Storage location",
                    value: table.storageLocation ?? "— (views have none)",
                    isMono: Boolean(table.storageLocation),
                  },
                  {
                    label: "Created",
                    value: table.createdAt ? (
                      <>
                        <DateTime value={table.createdAt} />
                        {table.createdBy ? ` by ${table.createdBy}` : ""}
                      </>
                    ) : (
                      "—"
                    ),
                  },
                  {
                    label: "Updated",
                    value: table.updatedAt ? (
                      <>
                        <DateTime value={table.updatedAt} />
                        {table.updatedBy ? ` by ${table.updatedBy}` : ""}
                      </>
                    ) : (
                      "—"
                    ),
                  },
                ]}
              />
              {table.viewDefinition && (
                <div className="mt-4">
                  <CodeBlock label="View definition">{table.viewDefinition}</CodeBlock>
                </div>
              )}
            </Card>
            <Card title="Properties" description={`${table.properties.length} table properties`}>
              {table.properties.length ? (
                <dl className="divide-y divide-line">
                  {table.properties.map((p) => (
                    <div key={p.key} className="py-1.5 first:pt-0 last:pb-0">
                      <dt className="font-mono text-xs break-all text-fg-muted">{p.key}</dt>
                      <dd className="font-mono text-xs break-all text-fg">{p.value}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="text-sm text-fg-subtle">No properties set.</p>
              )}
            </Card>
            <Card
              title="Lineage"
              description="Tables and files directly upstream and downstream, from Unity Catalog"
              isLandmark
            >
              <SectionBoundary title="Lineage failed">
                <Suspense fallback={<LoadingState label="Reading lineage" rows={4} className="p-0" />}>
                  <LineageSection lineage={reads.lineage} />
                </Suspense>
              </SectionBoundary>
            </Card>
            <Card
              title="Used for training"
              description="Switchboard training runs on this table and the model versions registered from them"
              isLandmark
            >
              <SectionBoundary title="Training usage failed">
                <Suspense fallback={<LoadingState label="Reading training runs" rows={3} className="p-0" />}>
                  <UsageSection usage={reads.usage} />
                </Suspense>
              </SectionBoundary>
            </Card>
            {can(user, "features:read") && (
              <Card
                title="Feature views"
                description="Feast feature views whose batch source reads this table"
                isLandmark
              >
                <SectionBoundary title="Feature views failed">
                  <Suspense
                    fallback={<LoadingState label="Reading feature views" rows={2} className="p-0" />}
                  >
                    <FedFeatureViewsSection views={viewsFedByTable(user, fullTableName)} />
                  </Suspense>
                </SectionBoundary>
              </Card>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
