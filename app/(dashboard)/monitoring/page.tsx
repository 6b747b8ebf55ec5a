import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { QueryProvider } from "@/components/query-provider";
import { OverviewTable } from "@/components/monitoring/overview-table";
import { requirePageUser } from "@/lib/auth/session";
import { getMonitoringOverview } from "@/lib/dal/monitoring";

export const metadata: Metadata = { title: "Monitoring" };

export default async function MonitoringPage() {
  const user = await requirePageUser("monitoring:read");
  const overview = await getMonitoringOverview(user);
  return (
    <>
      <PageHeader
        title="Monitoring"
        description="What is unhealthy, since when, and what changed. No data is shown as no data, never as healthy."
        actions={
          <ButtonLink href="/monitoring/alerts" variant="secondary">
            Alerts
          </ButtonLink>
        }
      />
      <QueryProvider retry={1}>
        <OverviewTable initial={overview} />
      </QueryProvider>
    </>
  );
}
