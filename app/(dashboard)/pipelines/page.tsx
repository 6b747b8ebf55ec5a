import type { Metadata } from "next";
import Link from "next/link";
import { load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { dagHref, dagRunHref } from "@/components/pipelines/links";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requirePageUser } from "@/lib/auth/session";
import { type DagList, listDags } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Pipelines" };

type DagRow = DagList["dags"][number];

export default async function PipelinesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("pipelines:read");
  const offset = Math.max(0, Number.parseInt((await searchParams).offset ?? "0", 10) || 0);
  const result = await load(() => listDags(user, { offset }));
  return (
    <>
      <PageHeader
        title="Pipelines"
        description="The team's Airflow DAGs: when each last ran and how it went."
      />
      {!result.ok ? (
        <SectionError title="Pipelines could not be loaded" message={result.message} />
      ) : (
        <Card padding="none">
          <DataTable<DagRow>
            caption="Airflow DAGs with their latest run"
            rows={result.value.dags}
            rowKey={(dag) => dag.dagId}
            rowHref={(dag) => dagHref(dag.dagId)}
            empty="Airflow has no DAGs yet."
            columns={[
              {
                key: "dag",
                header: "DAG",
                isRowHeader: true,
                cell: (dag) => <span className="font-medium">{dag.dagId}</span>,
              },
              {
                key: "description",
                header: "What it does",
                canWrap: true,
                hideBelow: "md",
                cell: (dag) => <span className="text-fg-muted">{dag.description ?? "—"}</span>,
              },
              {
                key: "schedule",
                header: "Schedule",
                hideBelow: "lg",
                cell: (dag) => (dag.isPaused ? <Badge tone="warning">Paused</Badge> : (dag.schedule ?? "—")),
              },
              {
                key: "latest",
                header: "Latest run",
                isInteractive: true,
                cell: (dag) =>
                  dag.latestRun ? (
                    <Link
                      href={dagRunHref(dag.dagId, dag.latestRun.dagRunId)}
                      className="inline-flex items-center gap-2 hover:underline"
                    >
                      <PipelineStateBadge state={dag.latestRun.state} />
                      {(dag.latestRun.startDate ?? dag.latestRun.logicalDate) && (
                        <RelativeTime date={(dag.latestRun.startDate ?? dag.latestRun.logicalDate)!} />
                      )}
                    </Link>
                  ) : (
                    "Never run"
                  ),
              },
              {
                key: "owners",
                header: "Owners",
                hideBelow: "lg",
                cell: (dag) => dag.owners.join(", ") || "—",
              },
            ]}
          />
          <Pagination
            summary={`${result.value.total} DAGs`}
            previousHref={
              offset > 0 ? `/pipelines?offset=${Math.max(0, offset - result.value.pageSize)}` : undefined
            }
            nextHref={
              offset + result.value.pageSize < result.value.total
                ? `/pipelines?offset=${offset + result.value.pageSize}`
                : undefined
            }
          />
        </Card>
      )}
    </>
  );
}
