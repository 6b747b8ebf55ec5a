import type { Metadata } from "next";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { RefreshWhile } from "@/components/ui/refresh-while";
import { dagHref, submittedRunHref } from "@/components/pipelines/links";
import { DatabricksRunsCard, QualityCard, TasksCard } from "@/components/pipelines/run-sections";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Stat, StatGrid } from "@/components/ui/stat";
import { requirePageUser } from "@/lib/auth/session";
import { type DagRunDetail, getDagRun } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Pipeline run" };

export default async function DagRunPage({
  params,
}: {
  params: Promise<{ dagId: string; dagRunId: string }>;
}) {
  const user = await requirePageUser("pipelines:read");
  const raw = await params;
  const dagId = decodeSegment(raw.dagId);
  const dagRunId = decodeSegment(raw.dagRunId);
  const result = await load(() => getDagRun(user, dagId, dagRunId), { isNotFoundFatal: true });
  const breadcrumbs = [
    { label: "Pipelines", href: "/pipelines" },
    { label: dagId, href: dagHref(dagId) },
    { label: dagRunId },
  ];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={dagRunId} breadcrumbs={breadcrumbs} />
        <SectionError title="This run could not be loaded" message={result.message} />
      </>
    );
  }
  const detail: DagRunDetail = result.value;
  const { run, trigger } = detail;
  return (
    <>
      <PageHeader
        title={run?.logicalDate ? `${dagId} · ${formatDateTime(run.logicalDate)}` : dagRunId}
        breadcrumbs={breadcrumbs}
        meta={
          <>
            {run ? (
              <PipelineStateBadge state={run.state} isLive />
            ) : (
              <Badge tone={trigger?.status === "FAILED" ? "danger" : "neutral"}>
                {trigger?.status === "FAILED" ? "Trigger failed" : "Sending to Airflow"}
              </Badge>
            )}
            <span className="font-mono">{dagRunId}</span>
            {trigger && <span>Triggered by {trigger.requestedBy}</span>}
          </>
        }
      />
      <RefreshWhile isActive={!detail.isFinished} />
      <div className="space-y-6">
        {trigger?.status === "FAILED" && (
          <Notice tone="danger" title="Airflow did not start this run">
            {trigger.errorMessage}
          </Notice>
        )}
        {run && (
          <StatGrid>
            <Stat
              label="Started"
              value={run.startDate ? formatDateTime(run.startDate, { withSeconds: true }) : "Not yet"}
            />
            <Stat
              label="Duration"
              value={
                run.durationSeconds !== null
                  ? formatDuration(run.durationSeconds * 1000)
                  : run.startDate
                    ? "Running"
                    : "—"
              }
            />
            <Stat
              label="Type"
              value={
                run.isExternallyTriggered
                  ? "Triggered"
                  : run.runType === "scheduled"
                    ? "Scheduled"
                    : run.runType
              }
            />
            <Stat
              label="Tasks done"
              value={`${detail.tasks.filter((t) => ["success", "failed", "upstream_failed", "skipped"].includes(t.state)).length} of ${detail.tasks.length}`}
            />
          </StatGrid>
        )}
        <DatabricksRunsCard
          runs={detail.databricksRuns}
          description="Submitted by this run's Databricks tasks."
          hrefOf={(id) => submittedRunHref(dagId, dagRunId, id)}
        />
        <TasksCard
          tasks={detail.tasks}
          caption={`Task instances of ${dagRunId}`}
          labels={{ title: "Tasks", name: "Task", kind: "Operator" }}
          empty={run ? "This run has no tasks." : "Tasks appear once Airflow has the run."}
        />
        {detail.quality.map((quality) => (
          <QualityCard key={quality.taskId} quality={quality} />
        ))}
        {run && Object.keys(run.conf).length > 0 && (
          <Card title="Configuration (conf)">
            <CodeBlock label="Run configuration">{JSON.stringify(run.conf, null, 2)}</CodeBlock>
          </Card>
        )}
      </div>
    </>
  );
}
