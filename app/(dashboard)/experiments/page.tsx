import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Experiments" };

export default async function ExperimentsPage() {
  await requirePageUser("experiments:read");
  return (
    <>
      <PageHeader title="Experiments" />
      <EmptyState title="No experiments to show yet" description="MLflow experiments and their runs will be listed here for search and comparison." />
    </>
  );
}
