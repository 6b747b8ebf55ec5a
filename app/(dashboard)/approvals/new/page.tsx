import type { Metadata } from "next";
import { RequestForm } from "@/components/promotions/request-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Request promotion" };

export default async function RequestPromotionPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await requirePageUser("promotions:request");
  const { model, version } = await searchParams;
  return (
    <>
      <PageHeader
        title="Request promotion"
        description="The worker captures the evidence and evaluates the policy's gates: metrics against the incumbent, evaluation size, model card, fairness check, data quality and live health."
        breadcrumbs={[{ label: "Approvals", href: "/approvals" }, { label: "Request promotion" }]}
      />
      <RequestForm modelName={model} version={version} />
    </>
  );
}
