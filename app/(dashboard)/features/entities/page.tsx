import type { Metadata } from "next";
import Link from "next/link";
import { load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { FeatureTabs } from "@/components/features/feature-tabs";
import { featureViewHref } from "@/components/features/links";
import { Card } from "@/components/ui/card";
import { Mono } from "@/components/ui/code";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { type FeatureEntityList, listEntities } from "@/lib/dal/features";

export const metadata: Metadata = { title: "Feature entities" };

export default async function FeatureEntitiesPage() {
  const user = await requirePageUser("features:read");
  const result = await load(() => listEntities(user));
  return (
    <>
      <PageHeader
        title="Entities"
        breadcrumbs={[{ label: "Features", href: "/features" }, { label: "Entities" }]}
        description="What features are about, and the join key each is looked up by."
      />
      <FeatureTabs currentHref="/features/entities" />
      {!result.ok ? (
        <SectionError title="Entities could not be loaded" message={result.message} />
      ) : (
        <Card padding="none">
          <DataTable<FeatureEntityList[number]>
            caption="Feast entities with the feature views keyed by each"
            rows={result.value}
            rowKey={(entity) => entity.name}
            empty="The registry has no entities in this project."
            columns={[
              {
                key: "entity",
                header: "Entity",
                isRowHeader: true,
                cell: (entity) => <span className="font-medium">{entity.name}</span>,
              },
              { key: "key", header: "Join key", cell: (entity) => <Mono>{entity.joinKey}</Mono> },
              { key: "type", header: "Type", hideBelow: "sm", cell: (entity) => entity.valueType },
              {
                key: "description",
                header: "Description",
                canWrap: true,
                hideBelow: "md",
                cell: (entity) => entity.description ?? "—",
              },
              {
                key: "views",
                header: "Feature views",
                isInteractive: true,
                canWrap: true,
                cell: (entity) =>
                  entity.views.length ? (
                    <ul className="flex flex-wrap gap-x-3 gap-y-1">
                      {entity.views.map((view) => (
                        <li key={view}>
                          <Link href={featureViewHref(view)} className="font-mono text-xs hover:underline">
                            {view}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "None"
                  ),
              },
              { key: "owner", header: "Owner", hideBelow: "lg", cell: (entity) => entity.owner ?? "—" },
            ]}
          />
        </Card>
      )}
    </>
  );
}
