import Link from "next/link";
import { ExternalLink } from "lucide-react";
import { RefreshWhile } from "@/components/ui/refresh-while";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime, formatDuration } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Stat, StatGrid } from "@/components/ui/stat";
import type { SubmittedDatabricksRun } from "@/lib/dal/pipelines";
import { DatabricksStateBadge } from "./state-badge";

/** The Databricks run a pipeline run submitted (from Airflow or Data Factory): its state, times and tasks. */
export function SubmittedRunView({
  run,
  breadcrumbs,
  pipelineLabel,
}: {
  run: SubmittedDatabricksRun;
  breadcrumbs: Array<{ label: string; href?: string }>;
  /** e.g. "telco_churn_hourly", or "ChurnFeaturesHourly (Data Factory)". */
  pipelineLabel: string;
}) {
  return (
    <>
      <PageHeader
        title={`Databricks run ${run.databricksRunId}`}
        breadcrumbs={breadcrumbs}
        description={`${run.runName ?? "Submitted run"}, submitted by ${run.taskId} in ${pipelineLabel}.`}
        meta={<DatabricksStateBadge lifeCycleState={run.lifeCycleState} resultState={run.resultState} />}
        actions={
          run.runPageUrl ? (
            <a
              href={run.runPageUrl}
              target="_blank"
              rel="noreferrer"
              className="inline-flex items-center gap-1 text-sm font-medium text-accent-text hover:underline"
            >
              Open in Databricks <ExternalLink aria-hidden="true" className="size-4" />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          ) : undefined
        }
      />
      <RefreshWhile isActive={!run.isFinished} />
      <div className="space-y-6">
        {run.stateMessage && (
          <Notice tone={run.resultState && run.resultState !== "SUCCESS" ? "danger" : "info"}>
            {run.stateMessage}
          </Notice>
        )}
        {run.trainingRunId && (
          <Notice tone="info">
            Switchboard tracks this run: <Link href={`/runs/${run.trainingRunId}`}>open its run page</Link>.
          </Notice>
        )}
        <StatGrid>
          <Stat
            label="Started"
            value={run.startTime ? formatDateTime(run.startTime, { withSeconds: true }) : "Not yet"}
          />
          <Stat
            label="Duration"
            value={run.durationSeconds !== null ? formatDuration(run.durationSeconds * 1000) : "Running"}
          />
          <Stat
            label="Ended"
            value={run.endTime ? formatDateTime(run.endTime, { withSeconds: true }) : "Still running"}
          />
        </StatGrid>
        <Card title="Tasks" padding="none">
          <DataTable<SubmittedDatabricksRun["tasks"][number]>
            caption={`Tasks of Databricks run ${run.databricksRunId}`}
            rows={run.tasks}
            rowKey={(t) => t.taskKey}
            columns={[
              { key: "task", header: "Task", isRowHeader: true, cell: (t) => t.taskKey },
              {
                key: "state",
                header: "State",
                cell: (t) => (
                  <DatabricksStateBadge lifeCycleState={t.lifeCycleState} resultState={t.resultState} />
                ),
              },
              {
                key: "setup",
                header: "Cluster setup",
                value: (t) => (t.setupSeconds === null ? null : t.setupSeconds * 1000),
                format: "duration",
              },
              {
                key: "execution",
                header: "Execution",
                value: (t) => (t.executionSeconds === null ? null : t.executionSeconds * 1000),
                format: "duration",
              },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
