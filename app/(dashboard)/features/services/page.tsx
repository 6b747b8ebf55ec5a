import type { Metadata } from "next";
import Link from "next/link";
import { load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { FeatureTabs } from "@/components/features/feature-tabs";
import { FreshnessBadge } from "@/components/features/freshness-badge";
import { featureViewHref } from "@/components/features/links";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listServices } from "@/lib/dal/features";

export const metadata: Metadata = { title: "Feature services" };

export default async function FeatureServicesPage() {
  const user = await requirePageUser("features:read");
  const result = await load(() => listServices(user));
  return (
    <>
      <PageHeader
        title="Feature services"
        breadcrumbs={[{ label: "Features", href: "/features" }, { label: "Feature services" }]}
        description="The sets of features a model trains and serves on; training runs record theirs in the feast.feature_service tag."
      />
      <FeatureTabs currentHref="/features/services" />
      {!result.ok ? (
        <SectionError title="Feature services could not be loaded" message={result.message} />
      ) : result.value.length === 0 ? (
        <EmptyState
          title="No feature services"
          description="The registry has no feature services in this project."
        />
      ) : (
        <div className="grid gap-6 md:grid-cols-2">
          {result.value.map((service) => (
            <section key={service.name} id={service.name} aria-labelledby={`service-${service.name}`}>
              <Card>
                <h2 id={`service-${service.name}`} className="font-mono text-sm font-semibold">
                  {service.name}
                </h2>
                {service.description && <p className="mt-1 text-sm text-fg-muted">{service.description}</p>}
                {service.owner && <p className="mt-1 text-xs text-fg-subtle">Owner: {service.owner}</p>}
                <ul className="mt-3 space-y-2">
                  {service.views.map((view) => (
                    <li key={view.name} className="flex flex-wrap items-center justify-between gap-2 text-sm">
                      <Link href={featureViewHref(view.name)} className="font-mono hover:underline">
                        {view.name}
                      </Link>
                      <span className="flex items-center gap-2 text-xs text-fg-muted">
                        {view.featureCount} features
                        {view.freshness && <FreshnessBadge state={view.freshness} />}
                      </span>
                    </li>
                  ))}
                </ul>
              </Card>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
