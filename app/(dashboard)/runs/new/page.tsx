import type { Metadata } from "next";
import { LaunchRunForm } from "@/components/runs/launch-run-form";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getLaunchOptions } from "@/lib/dal/runs";

export const metadata: Metadata = { title: "Launch a run" };

export default async function LaunchRunPage() {
  const user = await requirePageUser("runs:launch");
  const options = await getLaunchOptions(user).catch(() => null);
  return (
    <>
      <PageHeader title="Launch a training run" breadcrumbs={[{ label: "Runs", href: "/runs" }, { label: "Launch" }]} description="Runs on a new Databricks job cluster and logs to MLflow." />
      {options ? <LaunchRunForm options={options} /> : <ErrorState title="The catalog is unavailable" message="Unity Catalog or MLflow did not answer, so datasets and experiments cannot be listed. Try again in a minute." retryHref="/runs/new" />}
    </>
  );
}
