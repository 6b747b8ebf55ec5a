import type { Metadata } from "next";
import Link from "next/link";
import { load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { adfPipelineHref, adfRunHref, dagHref, dagRunHref } from "@/components/pipelines/links";
import { PipelineStateBadge } from "@/components/pipelines/state-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requirePageUser } from "@/lib/auth/session";
import {
  type AdfPipelineList,
  type DagList,
  listAdfPipelines,
  listDags,
  listPipelineSources,
} from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Pipelines" };

type DagRow = DagList["dags"][number];
type AdfRow = AdfPipelineList["pipelines"][number];

/** A run's state and when it started, linking to the run. */
function LatestRun({
  run,
  href,
}: {
  run: { state: string; startDate: string | null; logicalDate: string | null } | null;
  href: string;
}) {
  if (!run) return <>Never run</>;
  const at = run.startDate ?? run.logicalDate;
  return (
    <Link href={href} className="inline-flex items-center gap-2 hover:underline">
      <PipelineStateBadge state={run.state} />
      {at && <RelativeTime date={at} />}
    </Link>
  );
}

export default async function PipelinesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("pipelines:read");
  const offset = Math.max(0, Number.parseInt((await searchParams).offset ?? "0", 10) || 0);
  const sources = listPipelineSources(user);
  const [airflow, adf] = await Promise.all([
    sources.airflow ? load(() => listDags(user, { offset })) : null,
    sources.adf && offset === 0 ? load(() => listAdfPipelines(user)) : null,
  ]);
  const both = sources.airflow && sources.adf;
  return (
    <>
      <PageHeader
        title="Pipelines"
        description={
          both
            ? "The team's Airflow DAGs and Azure Data Factory pipelines: when each last ran and how it went."
            : sources.adf
              ? "The team's Azure Data Factory pipelines: when each last ran and how it went."
              : "The team's Airflow DAGs: when each last ran and how it went."
        }
      />
      <div className="space-y-6">
        {!sources.airflow && !sources.adf && (
          <SectionError
            title="Pipelines are not set up"
            message="Switchboard has neither an Airflow (AIRFLOW_URL) nor a Data Factory (ADF_FACTORY_NAME) to read."
          />
        )}
        {airflow &&
          (!airflow.ok ? (
            <SectionError title="Airflow DAGs could not be loaded" message={airflow.message} />
          ) : (
            <Card padding="none" title={both ? "Airflow" : undefined}>
              <DataTable<DagRow>
                caption="Airflow DAGs with their latest run"
                rows={airflow.value.dags}
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
                    cell: (dag) =>
                      dag.isPaused ? <Badge tone="warning">Paused</Badge> : (dag.schedule ?? "—"),
                  },
                  {
                    key: "latest",
                    header: "Latest run",
                    isInteractive: true,
                    cell: (dag) => (
                      <LatestRun
                        run={dag.latestRun}
                        href={dag.latestRun ? dagRunHref(dag.dagId, dag.latestRun.dagRunId) : ""}
                      />
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
                summary={`${airflow.value.total} DAGs`}
                previousHref={
                  offset > 0 ? `/pipelines?offset=${Math.max(0, offset - airflow.value.pageSize)}` : undefined
                }
                nextHref={
                  offset + airflow.value.pageSize < airflow.value.total
                    ? `/pipelines?offset=${offset + airflow.value.pageSize}`
                    : undefined
                }
              />
            </Card>
          ))}
        {adf &&
          (!adf.ok ? (
            <SectionError title="Data Factory pipelines could not be loaded" message={adf.message} />
          ) : (
            <Card
              padding="none"
              title="Azure Data Factory"
              description={`Pipelines of the factory ${adf.value.factoryName}.`}
            >
              <DataTable<AdfRow>
                caption={`Data Factory pipelines of ${adf.value.factoryName} with their latest run`}
                rows={adf.value.pipelines}
                rowKey={(p) => p.name}
                rowHref={(p) => adfPipelineHref(p.name)}
                empty="This factory has no pipelines yet."
                columns={[
                  {
                    key: "pipeline",
                    header: "Pipeline",
                    isRowHeader: true,
                    cell: (p) => <span className="font-medium">{p.name}</span>,
                  },
                  {
                    key: "description",
                    header: "What it does",
                    canWrap: true,
                    hideBelow: "md",
                    cell: (p) => <span className="text-fg-muted">{p.description ?? "—"}</span>,
                  },
                  {
                    key: "latest",
                    header: "Latest run",
                    isInteractive: true,
                    cell: (p) => (
                      <LatestRun
                        run={p.latestRun}
                        href={p.latestRun ? adfRunHref(p.name, p.latestRun.dagRunId) : ""}
                      />
                    ),
                  },
                  {
                    key: "folder",
                    header: "Folder",
                    hideBelow: "lg",
                    cell: (p) => p.folder ?? "—",
                  },
                ]}
              />
            </Card>
          ))}
      </div>
    </>
  );
}
