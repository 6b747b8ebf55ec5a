import type { Metadata } from "next";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { ExperimentsTable } from "@/components/experiments/experiments-table";
import { SearchBox } from "@/components/experiments/search-box";
import { requirePageUser } from "@/lib/auth/session";
import { listExperiments, listExperimentsQuery } from "@/lib/dal/experiments";
import { firstValues } from "@/components/experiments/search-params";

export const metadata: Metadata = { title: "Experiments" };

export default async function ExperimentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("experiments:read");
  const query = listExperimentsQuery.parse(firstValues(await searchParams));
  const { experiments, nextPageToken } = await listExperiments(user, query);
  const withQuery = (pageToken?: string) => `/experiments?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(pageToken ? { pageToken } : {}) })}`;
  return (
    <>
      <PageHeader title="Experiments" description="MLflow experiments, most recently updated first. Open one to search, filter and compare its runs." />
      <Card padding="none" title="All experiments" actions={<SearchBox name="q" label="Search experiments by name" defaultValue={query.q} action="/experiments" />}>
        <ExperimentsTable experiments={experiments} />
        <Pagination label="Experiments pages" previousHref={query.pageToken ? withQuery() : undefined} nextHref={nextPageToken ? withQuery(nextPageToken) : undefined} summary={`${experiments.length} experiments on this page`} />
      </Card>
    </>
  );
}
