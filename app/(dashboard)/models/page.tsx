import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  await requirePageUser("models:read");
  return (
    <>
      <PageHeader title="Models" />
      <EmptyState title="No registered models to show yet" description="Registered models, their versions, stages and aliases will be listed here." />
    </>
  );
}
