import type { Metadata } from "next";
import { isAppError } from "@/lib/errors";
import { Plus } from "lucide-react";
import { QueryProvider } from "@/components/query-provider";
import { RunsTable } from "@/components/runs/runs-table";
import { ButtonLink } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { PageHeader } from "@/components/ui/page-header";
import { Tabs } from "@/components/ui/tabs";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { listRuns } from "@/lib/dal/runs";
import { listRunsQuery } from "@/lib/validation/runs";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("runs:read");
  const raw = await searchParams;
  const parsed = listRunsQuery.safeParse({ mine: raw.mine, after: raw.after, status: raw.status });
  const query = parsed.success ? parsed.data : listRunsQuery.parse({});
  // A cursor that is not one of ours (edited, or from an extreme date) shows the first page.
  const page = await listRuns(user, query).catch((error: unknown) => {
    if (isAppError(error) && error.code === "BAD_REQUEST" && query.after)
      return listRuns(user, { ...query, after: undefined });
    throw error;
  });
  const queryString = new URLSearchParams(
    Object.entries({
      mine: query.mine ? "true" : undefined,
      after: query.after,
      status: query.status,
    }).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  const mineParam = query.mine ? "mine=true&" : "";
  return (
    <>
      <PageHeader
        title="Runs"
        description="Training runs on Databricks, with their live status."
        actions={
          can(user, "runs:launch") ? (
            <ButtonLink href="/runs/new" icon={<Plus aria-hidden="true" className="size-4" />}>
              Launch run
            </ButtonLink>
          ) : undefined
        }
      />
      <Tabs
        label="Which runs"
        currentHref={query.mine ? "/runs?mine=true" : "/runs"}
        items={[
          { label: "All runs", href: "/runs" },
          { label: "My runs", href: "/runs?mine=true" },
        ]}
      />
      <QueryProvider>
        <RunsTable initial={page} queryString={queryString} />
      </QueryProvider>
      <Pagination
        previousHref={query.after ? `/runs${query.mine ? "?mine=true" : ""}` : undefined}
        nextHref={
          page.nextAfter ? `/runs?${mineParam}after=${encodeURIComponent(page.nextAfter)}` : undefined
        }
      />
    </>
  );
}
