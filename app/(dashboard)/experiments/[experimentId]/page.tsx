import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { ColumnPicker } from "@/components/experiments/column-picker";
import { PinExperimentButton } from "@/components/experiments/pin-experiment-button";
import { RunFilterForm } from "@/components/experiments/run-filter-form";
import { ExperimentRunsTable } from "@/components/experiments/experiment-runs-table";
import { RememberColumns } from "@/components/experiments/remember-columns";
import {
  columnsCookieName,
  firstValues,
  parseRememberedColumns,
} from "@/components/experiments/search-params";
import { formatZodError } from "@/lib/validation/format";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getExperiment, searchExperimentRuns } from "@/lib/dal/experiments";
import { searchRunsQuery } from "@/lib/validation/experiments";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Experiment runs" };

/** Metrics are what people compare runs by, so they come first and outnumber parameters by default. */
const defaultParamColumns = 2;
const defaultMetricColumns = 4;

export default async function ExperimentRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ experimentId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("experiments:read");
  const { experimentId } = await params;
  const raw = firstValues(await searchParams);
  const parsed = searchRunsQuery.safeParse(raw);
  // Keep the filter when only the sort is unknown; anything worse (an over-long filter) starts afresh.
  const query = parsed.success
    ? parsed.data
    : (searchRunsQuery.safeParse({ filter: raw.filter }).data ?? searchRunsQuery.parse({}));
  const trail = (raw.trail ?? "").split(",").filter(Boolean);
  const experiment = await getExperiment(user, experimentId).catch((error: unknown) => {
    // /experiments/abc or an id MLflow does not know: a 404 page, not an error page.
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });

  let result: Awaited<ReturnType<typeof searchExperimentRuns>> | null = null;
  let searchError: { message: string; hint?: string } | null = parsed.success
    ? null
    : { message: formatZodError(parsed.error) };
  try {
    result = await searchExperimentRuns(user, experimentId, { ...query, pageToken: trail.at(-1) });
  } catch (error) {
    if (!isAppError(error) || error.code !== "BAD_REQUEST") throw error;
    searchError = { message: error.message, hint: (error.details as { hint?: string } | undefined)?.hint };
  }

  // Columns named in the URL win; else the ones this person last chose for the experiment; else defaults.
  const isExplicit = query.params.length > 0 || query.metrics.length > 0;
  const remembered = isExplicit
    ? null
    : parseRememberedColumns((await cookies()).get(columnsCookieName(experimentId))?.value);
  const paramColumns = isExplicit
    ? query.params
    : (remembered?.params ?? (result?.paramKeys ?? []).slice(0, defaultParamColumns));
  const metricColumns = isExplicit
    ? query.metrics
    : (remembered?.metrics ?? (result?.metricKeys ?? []).slice(0, defaultMetricColumns));
  const base = `/experiments/${encodeURIComponent(experimentId)}`;
  const hrefWith = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    const merged = {
      filter: query.filter,
      sort: query.sort,
      dir: query.sort ? query.dir : undefined,
      params: query.params.join(","),
      metrics: query.metrics.join(","),
      trail: trail.join(","),
      ...changes,
    };
    for (const [key, value] of Object.entries(merged)) if (value) next.set(key, value);
    return `${base}?${next}`;
  };

  return (
    <>
      <PageHeader
        title={experiment.name}
        breadcrumbs={[{ label: "Experiments", href: "/experiments" }, { label: experiment.name }]}
        description="Filter with MLflow's search syntax, sort by any column, pick runs and compare them."
        actions={
          <PinExperimentButton
            experimentId={experimentId}
            isPinned={experiment.isPinned}
            canPin={can(user, "admin:manage")}
          />
        }
      />
      <div className="space-y-4">
        {isExplicit && (
          <RememberColumns experimentId={experimentId} params={query.params} metrics={query.metrics} />
        )}
        <RunFilterForm
          action={base}
          filter={query.filter}
          error={searchError}
          hidden={{
            sort: query.sort,
            dir: query.sort ? query.dir : undefined,
            params: query.params.join(","),
            metrics: query.metrics.join(","),
          }}
        />
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
                [
                  "run_name",
                  "status",
                  "start_time",
                  ...metricColumns.map((k) => `metrics.${k}`),
                  ...paramColumns.map((k) => `params.${k}`),
                ].flatMap((key) => [
                  [`${key}|asc`, hrefWith({ sort: key, dir: "asc", trail: undefined })],
                  [`${key}|desc`, hrefWith({ sort: key, dir: "desc", trail: undefined })],
                ]),
              )}
            />
            <Pagination
              label="Run pages"
              previousHref={trail.length ? hrefWith({ trail: trail.slice(0, -1).join(",") }) : undefined}
              nextHref={
                result.nextPageToken
                  ? hrefWith({ trail: [...trail, result.nextPageToken].join(",") })
                  : undefined
              }
              summary={`Page ${trail.length + 1} · ${result.runs.length} runs`}
            />
          </Card>
        )}
      </div>
    </>
  );
}
