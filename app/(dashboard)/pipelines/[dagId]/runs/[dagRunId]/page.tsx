import type { Metadata } from "next";
import Link from "next/link";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { RefreshWhile } from "@/components/ui/refresh-while";
import { dagHref, submittedRunHref } from "@/components/pipelines/links";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime, formatDuration, formatNumber } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Stat, StatGrid } from "@/components/ui/stat";
import { requirePageUser } from "@/lib/auth/session";
import { type DagRunDetail, getDagRun } from "@/lib/dal/pipelines";
import type { QualityResult } from "@/lib/domain/pipelines/quality";

export const metadata: Metadata = { title: "Pipeline run" };

function QualityCard({ quality }: { quality: QualityResult }) {
  return (
    <Card
      title={`Data quality: ${quality.taskId}`}
      description={`${quality.suite ?? "Expectation suite"}: ${quality.successful} of ${quality.evaluated} expectations met`}
      actions={quality.isSuccess ? <Badge tone="success">Passed</Badge> : <Badge tone="danger">Failed</Badge>}
      padding="none"
    >
      <DataTable<QualityResult["checks"][number]>
        caption={`Expectations checked by ${quality.taskId}`}
        rows={quality.checks}
        rowKey={(check) => `${check.expectation}:${check.column ?? ""}`}
        density="compact"
        columns={[
          {
            key: "expectation",
            header: "Expectation",
            isRowHeader: true,
            canWrap: true,
            cell: (c) => c.expectation.replace(/^expect_/, "").replaceAll("_", " "),
          },
          { key: "column", header: "Column", cell: (c) => c.column ?? "table" },
          {
            key: "result",
            header: "Result",
            cell: (c) =>
              c.isSuccess ? <Badge tone="success">Met</Badge> : <Badge tone="danger">Not met</Badge>,
          },
          {
            key: "observed",
            header: "Observed",
            cell: (c) =>
              c.unexpectedPercent !== null
                ? `${formatNumber(c.unexpectedPercent)}% unexpected`
                : (c.observed ?? "—"),
          },
        ]}
      />
    </Card>
  );
}

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
        {detail.databricksRuns.length > 0 && (
          <Card title="Databricks runs" description="Submitted by this run's Databricks tasks.">
            <ul className="space-y-2 text-sm">
              {detail.databricksRuns.map((d) => (
                <li key={d.databricksRunId}>
                  <Link
                    className="font-medium text-accent-text hover:underline"
                    href={submittedRunHref(dagId, dagRunId, d.databricksRunId)}
                  >
                    Databricks run {d.databricksRunId}
                  </Link>{" "}
                  <span className="text-fg-muted">from {d.taskId}</span>
                </li>
              ))}
            </ul>
          </Card>
        )}
        <Card title="Tasks" padding="none">
          <DataTable<DagRunDetail["tasks"][number]>
            caption={`Task instances of ${dagRunId}`}
            rows={detail.tasks}
            rowKey={(task) => task.taskId}
            empty={run ? "This run has no tasks." : "Tasks appear once Airflow has the run."}
            columns={[
              {
                key: "task",
                header: "Task",
                isRowHeader: true,
                cell: (t) => <span className="font-medium">{t.taskId}</span>,
              },
              { key: "operator", header: "Operator", hideBelow: "md", cell: (t) => t.operator ?? "—" },
              { key: "state", header: "State", cell: (t) => <PipelineStateBadge state={t.state} /> },
              { key: "tries", header: "Tries", cell: (t) => `${t.tryNumber} of ${t.maxAttempts}` },
              {
                key: "started",
                header: "Started",
                hideBelow: "sm",
                cell: (t) => (t.startDate ? formatDateTime(t.startDate, { withSeconds: true }) : "—"),
              },
              {
                key: "duration",
                header: "Duration",
                value: (t) => (t.durationSeconds === null ? null : t.durationSeconds * 1000),
                format: "duration",
              },
            ]}
          />
        </Card>
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
