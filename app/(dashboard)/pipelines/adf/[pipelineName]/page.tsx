import type { Metadata } from "next";
import Link from "next/link";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { adfPipelineHref, adfRunHref } from "@/components/pipelines/links";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { TriggerRunForm } from "@/components/pipelines/trigger-form";
import { TriggerRequestsCard } from "@/components/pipelines/trigger-requests-card";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Mono } from "@/components/ui/code";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Notice } from "@/components/ui/notice";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { type AdfPipelineDetail, getAdfPipeline } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Data Factory pipeline" };

const runTypeLabels: Record<string, string> = { scheduled: "Scheduled", manual: "Triggered" };

export default async function AdfPipelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ pipelineName: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("pipelines:read");
  const pipelineName = decodeSegment((await params).pipelineName);
  const pageToken = (await searchParams).after || undefined;
  const result = await load(() => getAdfPipeline(user, pipelineName, { pageToken }), {
    isNotFoundFatal: true,
  });
  const breadcrumbs = [{ label: "Pipelines", href: "/pipelines" }, { label: pipelineName }];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={pipelineName} breadcrumbs={breadcrumbs} />
        <SectionError title="This pipeline could not be loaded" message={result.message} />
        {pageToken && (
          <p className="mt-4 text-sm">
            <Link
              className="font-medium text-accent-text hover:underline"
              href={adfPipelineHref(pipelineName)}
            >
              Back to the newest runs
            </Link>
          </p>
        )}
      </>
    );
  }
  const pipeline = result.value;
  return (
    <>
      <PageHeader
        title={pipeline.dagId}
        breadcrumbs={breadcrumbs}
        description={pipeline.description ?? undefined}
        meta={
          <>
            <Badge tone="info">Azure Data Factory</Badge>
            <span>Factory: {pipeline.factoryName}</span>
            {pipeline.annotations.length > 0 && <span>Annotations: {pipeline.annotations.join(", ")}</span>}
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card
          title="Runs"
          description="Newest first. Open a run for its activities, data quality and Databricks runs."
          padding="none"
          className="lg:col-span-2"
        >
          <DataTable<AdfPipelineDetail["runs"][number]>
            caption={`Runs of ${pipeline.dagId}, newest first`}
            rows={pipeline.runs}
            rowKey={(run) => run.dagRunId}
            rowHref={(run) => adfRunHref(pipeline.dagId, run.dagRunId)}
            empty="No runs in the last 45 days (what Data Factory keeps)."
            columns={[
              {
                key: "started",
                header: "Started",
                isRowHeader: true,
                cell: (run) =>
                  run.startDate ? formatDateTime(run.startDate, { withSeconds: true }) : "Queued",
              },
              { key: "state", header: "State", cell: (run) => <PipelineStateBadge state={run.state} /> },
              {
                key: "type",
                header: "Type",
                hideBelow: "sm",
                cell: (run) => runTypeLabels[run.runType] ?? run.runType,
              },
              {
                key: "invokedBy",
                header: "Invoked by",
                hideBelow: "md",
                cell: (run) => run.invokedBy ?? "—",
              },
              {
                key: "duration",
                header: "Duration",
                value: (run) => (run.durationSeconds === null ? null : run.durationSeconds * 1000),
                format: "duration",
              },
            ]}
          />
          <Pagination
            label="Run pages"
            summary={pipeline.isFirstPage ? "Newest runs" : "Older runs"}
            previousHref={pipeline.isFirstPage ? undefined : adfPipelineHref(pipeline.dagId)}
            nextHref={
              pipeline.nextPageToken
                ? `${adfPipelineHref(pipeline.dagId)}?after=${encodeURIComponent(pipeline.nextPageToken)}`
                : undefined
            }
          />
        </Card>
        <div className="space-y-6">
          {pipeline.canTrigger && (
            <Card
              title="Trigger a run"
              description="Switchboard records the request, then a worker asks Data Factory for the run."
            >
              {pipeline.acceptsTriggers ? (
                <TriggerRunForm dagId={pipeline.dagId} source="adf" />
              ) : (
                <Notice tone="warning">
                  This pipeline does not declare a String parameter <Mono>switchboardTriggerId</Mono>, which
                  Switchboard sets to find the run again if a worker restarts. Add it (default empty) in the
                  factory to trigger it from here.
                </Notice>
              )}
            </Card>
          )}
          <Card title="Pausing" description="Data Factory pipelines have no pause switch.">
            <p className="text-sm text-fg-muted">
              A pipeline runs when one of its triggers fires. To stop scheduled runs, stop the trigger in Data
              Factory Studio (Manage, then Triggers); the pipeline itself stays as it is.
            </p>
          </Card>
          <TriggerRequestsCard
            triggers={pipeline.triggers}
            hrefOf={(id) => adfRunHref(pipeline.dagId, id)}
            orchestrator="Data Factory"
            noun="pipeline"
          />
          <Card title="Definition">
            <KeyValueList
              items={[
                { label: "Folder", value: pipeline.folder ?? "—" },
                {
                  label: "Activities",
                  value: pipeline.activities.map((a) => `${a.name} (${a.type})`).join(", ") || "—",
                },
                {
                  label: "Parameters",
                  value:
                    pipeline.parameters
                      .map(
                        (p) => `${p.name}: ${p.type}${p.defaultValue !== null ? ` = ${p.defaultValue}` : ""}`,
                      )
                      .join(", ") || "—",
                },
              ]}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
