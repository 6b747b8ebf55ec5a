import type { Metadata } from "next";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { dagHref, dagRunHref } from "@/components/pipelines/links";
import { PauseToggle } from "@/components/pipelines/pause-toggle";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { TriggerRunForm } from "@/components/pipelines/trigger-form";
import { TriggerRequestsCard } from "@/components/pipelines/trigger-requests-card";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Mono } from "@/components/ui/code";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { type DagDetail, getDag } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Pipeline" };

const runTypeLabels: Record<string, string> = {
  scheduled: "Scheduled",
  manual: "Triggered",
  backfill: "Backfill",
  dataset_triggered: "Dataset",
};

export default async function DagPage({
  params,
  searchParams,
}: {
  params: Promise<{ dagId: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("pipelines:read");
  const dagId = decodeSegment((await params).dagId);
  const offset = Math.max(0, Number.parseInt((await searchParams).offset ?? "0", 10) || 0);
  const result = await load(() => getDag(user, dagId, { offset }), { isNotFoundFatal: true });
  const breadcrumbs = [{ label: "Pipelines", href: "/pipelines" }, { label: dagId }];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={dagId} breadcrumbs={breadcrumbs} />
        <SectionError title="This pipeline could not be loaded" message={result.message} />
      </>
    );
  }
  const dag = result.value;
  const pageHref = (at: number) => `${dagHref(dagId)}?offset=${at}`;
  return (
    <>
      <PageHeader
        title={dag.dagId}
        breadcrumbs={breadcrumbs}
        description={dag.description ?? undefined}
        meta={
          <>
            {dag.isPaused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Active</Badge>}
            {dag.schedule && <span>{dag.schedule}</span>}
            {dag.owners.length > 0 && <span>Owners: {dag.owners.join(", ")}</span>}
          </>
        }
        actions={dag.canPause ? <PauseToggle dagId={dag.dagId} isPaused={dag.isPaused} /> : undefined}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card
          title="Runs"
          description="Newest first. Open a run for its tasks, data quality and Databricks runs."
          padding="none"
          className="lg:col-span-2"
        >
          <DataTable<DagDetail["runs"][number]>
            caption={`Runs of ${dag.dagId}, newest first`}
            rows={dag.runs}
            rowKey={(run) => run.dagRunId}
            rowHref={(run) => dagRunHref(dag.dagId, run.dagRunId)}
            empty="No runs yet."
            columns={[
              {
                key: "interval",
                header: "Data interval",
                isRowHeader: true,
                cell: (run) => (run.logicalDate ? formatDateTime(run.logicalDate) : run.dagRunId),
              },
              { key: "state", header: "State", cell: (run) => <PipelineStateBadge state={run.state} /> },
              {
                key: "type",
                header: "Type",
                hideBelow: "sm",
                cell: (run) => runTypeLabels[run.runType] ?? run.runType,
              },
              {
                key: "started",
                header: "Started",
                hideBelow: "md",
                cell: (run) => (run.startDate ? formatDateTime(run.startDate, { withSeconds: true }) : "—"),
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
            summary={
              dag.totalRuns ? `Runs ${offset + 1}–${offset + dag.runs.length} of ${dag.totalRuns}` : undefined
            }
            previousHref={offset > 0 ? pageHref(Math.max(0, offset - dag.pageSize)) : undefined}
            nextHref={offset + dag.pageSize < dag.totalRuns ? pageHref(offset + dag.pageSize) : undefined}
          />
        </Card>
        <div className="space-y-6">
          {dag.canTrigger && (
            <Card
              title="Trigger a run"
              description="Switchboard records the request, then a worker asks Airflow for the run."
            >
              <TriggerRunForm dagId={dag.dagId} isPaused={dag.isPaused} />
            </Card>
          )}
          <TriggerRequestsCard
            triggers={dag.triggers}
            hrefOf={(id) => dagRunHref(dag.dagId, id)}
            orchestrator="Airflow"
            noun="DAG"
          />
          <Card title="Definition">
            <KeyValueList
              items={[
                { label: "File", value: <Mono>{dag.fileloc ?? "—"}</Mono> },
                { label: "Tags", value: dag.tags.join(", ") || "—" },
                {
                  label: "Next run",
                  value: dag.nextRunAt && !dag.isPaused ? formatDateTime(dag.nextRunAt) : "—",
                },
              ]}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
