import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ColumnPicker } from "@/components/experiments/column-picker";
import { RunFilterForm } from "@/components/experiments/run-filter-form";
import { ExperimentRunsTable } from "@/components/experiments/experiment-runs-table";
import { firstValues } from "@/components/experiments/search-params";
import { formatZodError } from "@/lib/validation/format";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageUser } from "@/lib/auth/session";
import { getExperiment, searchExperimentRuns, searchRunsQuery } from "@/lib/dal/experiments";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Experiment runs" };

const defaultParamColumns = 3;
const defaultMetricColumns = 4;

export default async function ExperimentRunsPage({ params, searchParams }: { params: Promise<{ experimentId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("experiments:read");
  const { experimentId } = await params;
  const raw = firstValues(await searchParams);
  const parsed = searchRunsQuery.safeParse(raw);
  // Keep the filter when only the sort is unknown; anything worse (an over-long filter) starts afresh.
  const query = parsed.success ? parsed.data : (searchRunsQuery.safeParse({ filter: raw.filter }).data ?? searchRunsQuery.parse({}));
  const trail = (raw.trail ?? "").split(",").filter(Boolean);
  const experiment = await getExperiment(user, experimentId).catch((error: unknown) => {
    // /experiments/abc or an id MLflow does not know: a 404 page, not an error page.
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });

  let result: Awaited<ReturnType<typeof searchExperimentRuns>> | null = null;
  let searchError: { message: string; hint?: string } | null = parsed.success ? null : { message: formatZodError(parsed.error) };
  try {
    result = await searchExperimentRuns(user, experimentId, { ...query, pageToken: trail.at(-1) });
  } catch (error) {
    if (!isAppError(error) || error.code !== "BAD_REQUEST") throw error;
    searchError = { message: error.message, hint: (error.details as { hint?: string } | undefined)?.hint };
  }

  const paramColumns = query.params.length ? query.params : (result?.paramKeys ?? []).slice(0, defaultParamColumns);
  const metricColumns = query.metrics.length ? query.metrics : (result?.metricKeys ?? []).slice(0, defaultMetricColumns);
  const base = `/experiments/${encodeURIComponent(experimentId)}`;
  const hrefWith = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    const merged = { filter: query.filter, sort: query.sort, dir: query.sort ? query.dir : undefined, params: query.params.join(","), metrics: query.metrics.join(","), trail: trail.join(","), ...changes };
    for (const [key, value] of Object.entries(merged)) if (value) next.set(key, value);
    return `${base}?${next}`;
  };

  return (
    <>
      <PageHeader
        title={experiment.name}
        breadcrumbs={[{ label: "Experiments", href: "/experiments" }, { label: experiment.name }]}
        description="Filter with MLflow's search syntax, sort by any column, pick runs and compare them."
      />
      <div className="space-y-4">
        <RunFilterForm action={base} filter={query.filter} error={searchError} hidden={{ sort: query.sort, dir: query.sort ? query.dir : undefined, params: query.params.join(","), metrics: query.metrics.join(",") }} />
        {result && (
          <Card
            padding="none"
            title="Runs"
            actions={
              <ColumnPicker
                action={base}
                paramKeys={[...new Set([...result.paramKeys, ...paramColumns])]}
                metricKeys={[...new Set([...result.metricKeys, ...metricColumns])]}
                selectedParams={paramColumns}
                selectedMetrics={metricColumns}
                hidden={{ filter: query.filter, sort: query.sort, dir: query.sort ? query.dir : undefined }}
              />
            }
          >
            <ExperimentRunsTable
              runs={result.runs}
              paramColumns={paramColumns}
              metricColumns={metricColumns}
              sort={query.sort ? { key: query.sort, direction: query.dir } : undefined}
              sortHrefs={Object.fromEntries(
                ["run_name", "status", "start_time", ...paramColumns.map((k) => `params.${k}`), ...metricColumns.map((k) => `metrics.${k}`)].flatMap((key) => [
                  [`${key}|asc`, hrefWith({ sort: key, dir: "asc", trail: undefined })],
                  [`${key}|desc`, hrefWith({ sort: key, dir: "desc", trail: undefined })],
                ]),
              )}
            />
            <Pagination
              label="Run pages"
              previousHref={trail.length ? hrefWith({ trail: trail.slice(0, -1).join(",") }) : undefined}
              nextHref={result.nextPageToken ? hrefWith({ trail: [...trail, result.nextPageToken].join(",") }) : undefined}
              summary={`Page ${trail.length + 1} · ${result.runs.length} runs`}
            />
          </Card>
        )}
      </div>
    </>
  );
}
