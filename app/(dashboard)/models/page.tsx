import type { Metadata } from "next";
import { load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { ModelsTable } from "@/components/models/model-lists";
import { ModelSearchForm } from "@/components/models/model-search-form";
import { Card } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listModels } from "@/lib/dal/models";
import { listModelsQuery } from "@/lib/validation/models";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("models:read");
  const raw = await searchParams;
  const parsed = listModelsQuery.safeParse({
    q: typeof raw.q === "string" && raw.q.trim() ? raw.q : undefined,
  });
  const query = parsed.success ? parsed.data : {};
  const result = await load(() => listModels(user, query));
  return (
    <>
      <PageHeader
        title="Models"
        description="Registered models in the workspace registry (stages) and Unity Catalog (aliases)."
      />
      <div className="space-y-4">
        <ModelSearchForm query={query.q} />
        {!result.ok ? (
          <Card>
            <SectionError title="Models unavailable" message={result.message} />
          </Card>
        ) : (
          <>
            {result.value.warnings.map((warning) => (
              <Notice key={warning} tone="warning">
                {warning}
              </Notice>
            ))}
            {result.value.isTruncated && (
              <Notice tone="info">
                Only the first models of a very large registry were searched; narrow the search to find
                others.
              </Notice>
            )}
            <ModelsTable models={result.value.items} query={query.q} />
          </>
        )}
      </div>
    </>
  );
}
