import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { adfPipelineHref, adfRunHref, adfSubmittedRunHref } from "@/components/pipelines/links";
import { DatabricksRunsCard, QualityCard, TasksCard } from "@/components/pipelines/run-sections";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { RefreshWhile } from "@/components/ui/refresh-while";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Stat, StatGrid } from "@/components/ui/stat";
import { requirePageUser } from "@/lib/auth/session";
import { type AdfPipelineRunDetail, getAdfPipelineRun } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Data Factory pipeline run" };

const finishedActivityStates = ["success", "failed", "skipped", "cancelled"];

export default async function AdfPipelineRunPage({
  params,
}: {
  params: Promise<{ pipelineName: string; runId: string }>;
}) {
  const user = await requirePageUser("pipelines:read");
  const raw = await params;
  const pipelineName = decodeSegment(raw.pipelineName);
  const runKey = decodeSegment(raw.runId);
  const result = await load(() => getAdfPipelineRun(user, pipelineName, runKey), { isNotFoundFatal: true });
  // A run requested here is addressed by Switchboard's key until Data Factory has it; then by its runId.
  if (result.ok && result.value.run && result.value.dagRunId !== runKey)
    redirect(adfRunHref(result.value.dagId, result.value.dagRunId));
  const breadcrumbs = [
    { label: "Pipelines", href: "/pipelines" },
    { label: pipelineName, href: adfPipelineHref(pipelineName) },
    { label: runKey },
  ];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={runKey} breadcrumbs={breadcrumbs} />
        <SectionError title="This run could not be loaded" message={result.message} />
      </>
    );
  }
  const detail: AdfPipelineRunDetail = result.value;
  const { run, trigger } = detail;
  return (
    <>
      <PageHeader
        title={run?.startDate ? `${detail.dagId} · ${formatDateTime(run.startDate)}` : detail.dagId}
        breadcrumbs={breadcrumbs}
        meta={
          <>
            {run ? (
              <PipelineStateBadge state={run.state} isLive />
            ) : (
              <span role="status" aria-live="polite" className="inline-flex">
                <Badge tone={trigger?.status === "FAILED" ? "danger" : "neutral"}>
                  {trigger?.status === "FAILED" ? "Trigger failed" : "Sending to Data Factory"}
                </Badge>
              </span>
            )}
            <Badge tone="info">Azure Data Factory</Badge>
            <span className="font-mono">{detail.dagRunId}</span>
            {trigger && <span>Triggered by {trigger.requestedBy}</span>}
          </>
        }
      />
      <RefreshWhile isActive={!detail.isFinished} />
      <div className="space-y-6">
        {trigger?.status === "FAILED" && (
          <Notice tone="danger" title="Data Factory did not start this run">
            {trigger.errorMessage}
          </Notice>
        )}
        {run?.message && run.state === "failed" && (
          <Notice tone="danger" title="Why it failed">
            {run.message}
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
                run.durationSeconds !== null && run.isFinished
                  ? formatDuration(run.durationSeconds * 1000)
                  : run.startDate
                    ? "Running"
                    : "—"
              }
            />
            <Stat label="Invoked by" value={run.invokedBy ?? (run.isExternallyTriggered ? "Manual" : "—")} />
            <Stat
              label="Activities done"
              value={`${detail.tasks.filter((t) => finishedActivityStates.includes(t.state)).length} of ${detail.tasks.length}`}
            />
          </StatGrid>
        )}
        <DatabricksRunsCard
          runs={detail.databricksRuns}
          description="Submitted by this run's Databricks activities."
          hrefOf={(id) => adfSubmittedRunHref(detail.dagId, detail.dagRunId, id)}
        />
        <TasksCard
          tasks={detail.tasks}
          caption={`Activity runs of ${detail.dagRunId}`}
          labels={{ title: "Activities", name: "Activity", kind: "Type" }}
          empty={
            run ? "This run has no activity runs yet." : "Activities appear once Data Factory has the run."
          }
        />
        {detail.quality.map((quality) => (
          <QualityCard key={quality.taskId} quality={quality} />
        ))}
        {run && Object.keys(run.conf).length > 0 && (
          <Card title="Parameters">
            <CodeBlock label="Run parameters">{JSON.stringify(run.conf, null, 2)}</CodeBlock>
          </Card>
        )}
      </div>
    </>
  );
}
