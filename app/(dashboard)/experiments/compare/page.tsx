import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ComparisonView } from "@/components/experiments/comparison-view";
import { compareApiUrl, compareUrl, parseCompareOptions } from "@/components/experiments/compare-url";
import { EmptyState } from "@/components/ui/empty-state";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { QueryProvider } from "@/components/query-provider";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Compare runs" };

export default async function CompareRunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageUser("experiments:read");
  const raw = await searchParams;
  const options = parseCompareOptions(raw);
  // The runs table's form sends runs=a&runs=b; the shareable form is runs=a,b.
  if (Array.isArray(raw.runs)) redirect(compareUrl(options));
  return (
    <>
      <PageHeader
        title="Compare runs"
        breadcrumbs={[{ label: "Experiments", href: "/experiments" }, { label: "Compare runs" }]}
        description="Metric histories overlaid, parameter differences, final and best values, and parameters against a metric. This page's address is the link to share."
      />
      {options.runs.length < 2 ? (
        <EmptyState
          title="Pick at least two runs"
          description="Open an experiment, tick 2 to 100 runs and choose Compare selected runs."
          action={<ButtonLink href="/experiments">Browse experiments</ButtonLink>}
        />
      ) : (
        <QueryProvider>
          {/* The comparison is asked for with the HTML, not after hydration: the view's first fetch of this
              address is answered by the preload. An element, not react-dom's preload(), whose hint reached
              the browser only with the hydration data (docs/decisions/017). */}
          <link rel="preload" as="fetch" href={compareApiUrl(options)} crossOrigin="anonymous" />
          <ComparisonView options={options} />
        </QueryProvider>
      )}
    </>
  );
}
