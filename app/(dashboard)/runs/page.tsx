import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage() {
  await requirePageUser("runs:read");
  return (
    <>
      <PageHeader title="Runs" />
      <EmptyState title="No training runs yet" description="Training runs launched from Switchboard will appear here with their live status." />
    </>
  );
}
