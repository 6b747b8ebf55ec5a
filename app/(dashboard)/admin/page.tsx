import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePageUser("admin:manage");
  return (
    <>
      <PageHeader title="Admin" />
      <EmptyState title="Nothing to administer yet" description="Model policies, alert rules and platform settings will be managed here." />
    </>
  );
}
