import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requirePageUser("promotions:read");
  return (
    <>
      <PageHeader title="Approvals" />
      <EmptyState title="No promotion requests" description="Requests to promote a model version, with their evidence and decisions, will be listed here." />
    </>
  );
}
