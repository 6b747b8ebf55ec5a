import type { Metadata } from "next";
import { Plus } from "lucide-react";
import { PromotionTable } from "@/components/promotions/promotion-table";
import { PromotionWatch } from "@/components/promotions/promotion-watch";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Tabs } from "@/components/ui/tabs";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getPromotionVersion, listPromotions } from "@/lib/dal/promotions";
import { listPromotionsQuery } from "@/lib/validation/promotions";

export const metadata: Metadata = { title: "Approvals" };

const captions = {
  queue: "Promotion requests awaiting a decision, oldest first",
  mine: "My promotion requests, newest first",
  all: "All promotion requests, newest first",
};

export default async function ApprovalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser("promotions:read");
  const parsed = listPromotionsQuery.safeParse({ scope: (await searchParams).scope });
  const query = parsed.success ? parsed.data : listPromotionsQuery.parse({});
  const { version } = await getPromotionVersion(user);
  const rows = await listPromotions(user, query);
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Requests to promote a model version, with their evidence, policy gates and decisions."
        actions={
          can(user, "promotions:request") ? (
            <ButtonLink href="/approvals/new" icon={<Plus aria-hidden="true" className="size-4" />}>
              Request promotion
            </ButtonLink>
          ) : undefined
        }
      />
      <Tabs
        label="Which requests"
        currentHref={query.scope === "queue" ? "/approvals" : `/approvals?scope=${query.scope}`}
        items={[
          { label: "Awaiting decision", href: "/approvals" },
          { label: "My requests", href: "/approvals?scope=mine" },
          { label: "All", href: "/approvals?scope=all" },
        ]}
      />
      <PromotionWatch version={version} />
      <PromotionTable rows={rows} caption={captions[query.scope]} />
    </>
  );
}
