import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Monitoring" };

export default async function MonitoringPage() {
  await requirePageUser("monitoring:read");
  return (
    <>
      <PageHeader title="Monitoring" />
      <EmptyState title="No services to show yet" description="KServe services with their latency, error rate and drift will be shown here." />
    </>
  );
}
