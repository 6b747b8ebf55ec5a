import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Database } from "lucide-react";
import { DatasetSearchForm } from "@/components/datasets/dataset-search-form";
import { SearchResultsTable } from "@/components/datasets/dataset-lists";
import { load } from "@/components/datasets/load";
import { SectionBoundary, SectionError } from "@/components/datasets/section-error";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requirePageUser, type CurrentUser } from "@/lib/auth/session";
import { datasetHref, listCatalogs, searchDatasets } from "@/lib/dal/datasets";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const user = await requirePageUser("datasets:read");
  const { q } = await searchParams;
  const query = (typeof q === "string" ? q : "").trim().slice(0, 200);
  return (
    <>
      <PageHeader
        title="Datasets"
        breadcrumbs={
          query ? [{ label: "Datasets", href: "/datasets" }, { label: `Search “${query}”` }] : undefined
        }
        description="Unity Catalog tables with their columns, sample rows, data-quality checks, lineage and the training runs that used them."
      />
      <div className="space-y-6">
        <DatasetSearchForm query={query} />
        <SectionBoundary title={query ? "Search failed" : "Catalogs failed to load"}>
          <Suspense
            key={query}
            fallback={
              <LoadingState label={query ? "Searching Unity Catalog" : "Loading catalogs"} rows={5} />
            }
          >
            {query ? <SearchResults user={user} query={query} /> : <Catalogs user={user} />}
          </Suspense>
        </SectionBoundary>
      </div>
    </>
  );
}

async function Catalogs({ user }: { user: CurrentUser }) {
  const result = await load(() => listCatalogs(user));
  if (!result.ok)
    return (
      <Card>
        <SectionError title="Catalogs unavailable" message={result.message} />
      </Card>
    );
  if (!result.value.length)
    return (
      <Card>
        <EmptyState
          title="No catalogs visible"
          description="Switchboard's service principal cannot see any Unity Catalog catalog. Ask a metastore admin to grant USE CATALOG."
        />
      </Card>
    );
  return (
    <section aria-labelledby="catalogs-heading">
      <h2 id="catalogs-heading" className="mb-3 text-sm font-semibold text-fg">
        Catalogs
      </h2>
      <ul className="grid grid-cols-[repeat(auto-fill,minmax(16rem,1fr))] gap-3">
        {result.value.map((catalog) => (
          <li key={catalog.name}>
            <Link
              href={datasetHref(catalog.name)}
              className="flex h-full flex-col gap-1.5 rounded-lg border border-line bg-surface p-4 shadow-card transition-colors hover:border-accent-line hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-focus"
            >
              <span className="flex items-center gap-2 font-mono text-sm font-semibold text-fg">
                <Database aria-hidden="true" className="size-4 text-fg-subtle" />
                {catalog.name}
              </span>
              <span className="text-sm text-fg-muted">{catalog.comment ?? "No comment"}</span>
              {catalog.owner && (
                <span className="mt-auto pt-1 text-xs text-fg-subtle">Owner {catalog.owner}</span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

async function SearchResults({ user, query }: { user: CurrentUser; query: string }) {
  const result = await load(() => searchDatasets(user, query));
  if (!result.ok)
    return (
      <Card>
        <SectionError title="Search unavailable" message={result.message} />
      </Card>
    );
  const search = result.value;
  return (
    <div className="space-y-3">
      {search.unavailableCatalogs.map((c) => (
        <Notice key={c.catalog} tone="warning" title={`Catalog ${c.catalog} was not searched`}>
          {c.message}
        </Notice>
      ))}
      {search.truncatedCatalogs.length > 0 && (
        <Notice tone="info">
          Only the first 20,000 names of {search.truncatedCatalogs.join(", ")} were searched. Open a schema to
          browse the rest.
        </Notice>
      )}
      <Card
        title={`${search.results.length === 100 ? "100+" : search.results.length} ${search.results.length === 1 ? "match" : "matches"}`}
        description={`Searched ${search.searchedEntries.toLocaleString("en")} catalog, schema and table names and comments.`}
        lastUpdated={
          search.oldestIndexAt ? (
            <>
              Index built <RelativeTime date={search.oldestIndexAt} />
            </>
          ) : undefined
        }
        padding="none"
      >
        <SearchResultsTable results={search.results} query={query} />
      </Card>
    </div>
  );
}
