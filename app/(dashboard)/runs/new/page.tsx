import type { Metadata } from "next";
import { load } from "@/components/datasets/load";
import { LaunchRunForm, type FeatureServiceChoices } from "@/components/runs/launch-run-form";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { listServices } from "@/lib/dal/features";
import { getLaunchOptions } from "@/lib/dal/runs";

export const metadata: Metadata = { title: "Launch a run" };

export default async function LaunchRunPage({
  searchParams,
}: {
  searchParams: Promise<{ dataset?: string | string[] }>;
}) {
  const user = await requirePageUser("runs:launch");
  const [options, services, { dataset }] = await Promise.all([
    getLaunchOptions(user).catch(() => null),
    load(() => listServices(user)),
    searchParams,
  ]);
  // The feature service is optional: without the registry the form still launches, and says why the list is empty.
  const featureServices: FeatureServiceChoices = services.ok
    ? { services: services.value, error: null }
    : { services: [], error: `No feature services to choose from: ${services.message}` };
  const config = getConfig();
  // Only a table the catalog lists is prefilled; anything else in the URL is ignored, not trusted.
  const initialDataset =
    typeof dataset === "string" && options?.tables.some((t) => t.fullName === dataset) ? dataset : undefined;
  return (
    <>
      <PageHeader
        title="Launch a training run"
        breadcrumbs={[{ label: "Runs", href: "/runs" }, { label: "Launch" }]}
        description="Runs on a new Databricks job cluster and logs to MLflow."
      />
      {options ? (
        <LaunchRunForm
          options={options}
          featureServices={featureServices}
          rateCard={{ pricePerDbu: config.DATABRICKS_DBU_PRICE, currency: config.DATABRICKS_DBU_CURRENCY }}
          initialDataset={initialDataset}
        />
      ) : (
        <ErrorState
          title="The catalog is unavailable"
          message="Unity Catalog or MLflow did not answer, so datasets and experiments cannot be listed. Try again in a minute."
          retryHref="/runs/new"
        />
      )}
    </>
  );
}
