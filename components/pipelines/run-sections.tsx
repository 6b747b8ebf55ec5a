import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { formatDateTime, formatNumber } from "@/components/ui/format";
import type { QualityResult } from "@/lib/domain/pipelines/quality";
import { PipelineStateBadge } from "./state-badge";

/** The parts of a pipeline run's page that Airflow and Data Factory runs share, drawn from the same DTOs. */

export interface PipelineTaskRow {
  taskId: string;
  operator: string | null;
  state: string;
  tryNumber: number;
  maxAttempts: number;
  startDate: string | null;
  durationSeconds: number | null;
}

/** Tasks (Airflow) or activities (ADF) with their state and tries. */
export function TasksCard({
  tasks,
  caption,
  labels,
  empty,
}: {
  tasks: PipelineTaskRow[];
  caption: string;
  labels: { title: string; name: string; kind: string };
  empty: string;
}) {
  return (
    <Card title={labels.title} padding="none">
      <DataTable<PipelineTaskRow>
        caption={caption}
        rows={tasks}
        rowKey={(task) => task.taskId}
        empty={empty}
        columns={[
          {
            key: "task",
            header: labels.name,
            isRowHeader: true,
            cell: (t) => <span className="font-medium">{t.taskId}</span>,
          },
          { key: "operator", header: labels.kind, hideBelow: "md", cell: (t) => t.operator ?? "—" },
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
  );
}

export function DatabricksRunsCard({
  runs,
  description,
  hrefOf,
}: {
  runs: Array<{ taskId: string; databricksRunId: string }>;
  description: string;
  hrefOf: (databricksRunId: string) => string;
}) {
  if (runs.length === 0) return null;
  return (
    <Card title="Databricks runs" description={description}>
      <ul className="space-y-2 text-sm">
        {runs.map((d) => (
          <li key={d.databricksRunId}>
            <Link className="font-medium text-accent-text hover:underline" href={hrefOf(d.databricksRunId)}>
              Databricks run {d.databricksRunId}
            </Link>{" "}
            <span className="text-fg-muted">from {d.taskId}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function QualityCard({ quality }: { quality: QualityResult }) {
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
