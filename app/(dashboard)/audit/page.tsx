import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  await requirePageUser("audit:read");
  return (
    <>
      <PageHeader title="Audit" />
      <EmptyState title="No audit events yet" description="Every request, decision and rollout will be recorded here in a hash chain." />
    </>
  );
}
