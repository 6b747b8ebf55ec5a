import type { Metadata } from "next";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { ExperimentsTable } from "@/components/experiments/experiments-table";
import { SearchBox } from "@/components/experiments/search-box";
import { requirePageUser } from "@/lib/auth/session";
import { listExperiments } from "@/lib/dal/experiments";
import { listExperimentsQuery } from "@/lib/validation/experiments";
import { firstValues } from "@/components/experiments/search-params";
import { Notice } from "@/components/ui/notice";
import { isAppError } from "@/lib/errors";
import { formatZodError } from "@/lib/validation/format";

export const metadata: Metadata = { title: "Experiments" };

export default async function ExperimentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("experiments:read");
  const parsed = listExperimentsQuery.safeParse(firstValues(await searchParams));
  const query = parsed.success ? parsed.data : {};
  let searchError = parsed.success ? null : formatZodError(parsed.error);
  let listing: Awaited<ReturnType<typeof listExperiments>> = { experiments: [], nextPageToken: null };
  try {
    if (parsed.success) listing = await listExperiments(user, query);
  } catch (error) {
    if (!isAppError(error) || error.code !== "BAD_REQUEST") throw error;
    searchError = error.message;
  }
  const { experiments, nextPageToken } = listing;
  const withQuery = (pageToken?: string) =>
    `/experiments?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(pageToken ? { pageToken } : {}) })}`;
  return (
    <>
      <PageHeader
        title="Experiments"
        description="MLflow experiments, most recently updated first. Open one to search, filter and compare its runs."
      />
      <Card
        padding="none"
        title="All experiments"
        actions={
          <SearchBox
            name="q"
            label="Search experiments by name"
            defaultValue={query.q}
            action="/experiments"
          />
        }
      >
        {searchError && (
          <div className="p-4">
            <Notice tone="warning" title="That search could not be run">
              {searchError}
            </Notice>
          </div>
        )}
        <ExperimentsTable experiments={experiments} />
        <Pagination
          label="Experiments pages"
          previousHref={query.pageToken ? withQuery() : undefined}
          nextHref={nextPageToken ? withQuery(nextPageToken) : undefined}
          summary={`${experiments.length} experiments on this page`}
        />
      </Card>
    </>
  );
}
