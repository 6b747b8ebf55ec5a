import type { Metadata } from "next";
import { RequestForm } from "@/components/promotions/request-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getPromotionPolicy } from "@/lib/dal/promotions";

export const metadata: Metadata = { title: "Request promotion" };

export default async function RequestPromotionPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageUser("promotions:request");
  const { model, version } = await searchParams;
  const policy = await getPromotionPolicy(user, model);
  return (
    <>
      <PageHeader
        title="Request promotion"
        description="The request captures the evidence now: metrics against the incumbent, dataset lineage, validation and live health."
        breadcrumbs={[{ label: "Approvals", href: "/approvals" }, { label: "Request promotion" }]}
      />
      <RequestForm modelName={model} version={version} requiredChecklist={policy.requiredChecklist} />
    </>
  );
}
