import type { Metadata } from "next";
import Link from "next/link";
import { load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { FeatureSearchForm } from "@/components/features/feature-search-form";
import { FeatureTabs } from "@/components/features/feature-tabs";
import { FreshnessBadge, freshnessSentence } from "@/components/features/freshness-badge";
import { featureViewHref } from "@/components/features/links";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { formatDuration } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { requirePageUser } from "@/lib/auth/session";
import { type FeatureViewSummary, listViews } from "@/lib/dal/features";

export const metadata: Metadata = { title: "Features" };

export default async function FeaturesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("features:read");
  const params = await searchParams;
  const query = params.q?.slice(0, 200) || undefined;
  const isStaleOnly = params.stale === "1";
  const result = await load(() => listViews(user, { query, isStaleOnly }));
  return (
    <>
      <PageHeader
        title="Features"
        description="Feast's feature views: what each holds, how fresh its online values are, and who trains on it."
        meta={
          result.ok ? (
            <>
              <span>Project {result.value.project.name}</span>
              {result.value.project.onlineStore && (
                <span>Online store: {result.value.project.onlineStore}</span>
              )}
              {result.value.project.offlineStore && (
                <span>Offline store: {result.value.project.offlineStore}</span>
              )}
            </>
          ) : undefined
        }
      />
      <FeatureTabs currentHref="/features" />
      {!result.ok ? (
        <SectionError title="Feature views could not be loaded" message={result.message} />
      ) : (
        <>
          {result.value.staleCount > 0 && !isStaleOnly && (
            <Notice
              tone="danger"
              title={`${result.value.staleCount} of ${result.value.total} feature views are stale`}
              className="mb-4"
              action={
                <Link href="/features?stale=1" className="font-medium underline">
                  Show stale views
                </Link>
              }
            >
              Their last materialization is older than their TTL, so online reads return no values for
              entities not updated since.
            </Notice>
          )}
          <FeatureSearchForm query={query} isStaleOnly={isStaleOnly} />
          <Card padding="none">
            <DataTable<FeatureViewSummary>
              caption="Feature views, stale first"
              rows={result.value.views}
              rowKey={(view) => view.name}
              rowHref={(view) => featureViewHref(view.name)}
              empty={
                query || isStaleOnly
                  ? "No feature view matches."
                  : "The registry has no feature views in this project."
              }
              columns={[
                {
                  key: "view",
                  header: "Feature view",
                  isRowHeader: true,
                  cell: (view) => (
                    <span>
                      <span className="font-mono text-sm font-medium">{view.name}</span>
                      <span className="block text-xs text-fg-muted">{view.featureCount} features</span>
                    </span>
                  ),
                },
                {
                  key: "entities",
                  header: "Entities",
                  cell: (view) => view.entities.join(", ") || "—",
                },
                {
                  key: "freshness",
                  header: "Freshness",
                  canWrap: true,
                  cell: (view) => (
                    <span className="flex flex-col items-start gap-1">
                      <FreshnessBadge state={view.freshness.state} />
                      {view.freshness.lastMaterializedAt && (
                        <span className="text-xs text-fg-muted" title={freshnessSentence(view.freshness)}>
                          up to <RelativeTime date={view.freshness.lastMaterializedAt} />
                        </span>
                      )}
                    </span>
                  ),
                },
                {
                  key: "ttl",
                  header: "TTL",
                  hideBelow: "sm",
                  cell: (view) => (view.ttlSeconds ? formatDuration(view.ttlSeconds * 1000) : "None"),
                },
                {
                  key: "stores",
                  header: "Stores",
                  hideBelow: "md",
                  cell: (view) => (
                    <span className="flex flex-wrap gap-1">
                      {view.isOnline && <Badge tone="info">Online</Badge>}
                      {view.isOffline && <Badge>Offline</Badge>}
                    </span>
                  ),
                },
                {
                  key: "services",
                  header: "Used by",
                  hideBelow: "lg",
                  canWrap: true,
                  cell: (view) =>
                    view.services.length ? (
                      <span className="font-mono text-xs">{view.services.join(", ")}</span>
                    ) : (
                      <span className="text-fg-subtle">No feature service</span>
                    ),
                },
                { key: "owner", header: "Owner", hideBelow: "lg", cell: (view) => view.owner ?? "—" },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
