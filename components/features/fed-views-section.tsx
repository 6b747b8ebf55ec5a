import Link from "next/link";
import type { FeatureStoreService } from "@/lib/dal/features";
import { SectionError } from "@/components/datasets/section-error";
import { FreshnessBadge } from "./freshness-badge";
import { featureViewHref } from "./links";

/** On a dataset page: the Feast feature views whose batch source reads this table, with their freshness. */
export async function FedFeatureViewsSection({
  views,
}: {
  views: ReturnType<FeatureStoreService["viewsFedByTable"]>;
}) {
  const result = await views;
  if (!result) return <p className="text-sm text-fg-subtle">The feature store is not set up.</p>;
  if (result.error) return <SectionError title="Feature views unavailable" message={result.error} />;
  if (!result.views.length)
    return <p className="text-sm text-fg-subtle">No feature view reads this table.</p>;
  return (
    <ul className="space-y-2">
      {result.views.map((view) => (
        <li key={view.name} className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <Link href={featureViewHref(view.name)} className="font-mono hover:underline">
            {view.name}
          </Link>
          <FreshnessBadge state={view.freshness.state} />
        </li>
      ))}
    </ul>
  );
}
