import type { Metadata } from "next";
import { AlertsLiveList } from "@/components/alerts/alerts-live-list";
import { QueryProvider } from "@/components/query-provider";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Tabs } from "@/components/ui/tabs";
import { requirePageUser } from "@/lib/auth/session";
import { listAlerts } from "@/lib/dal/alerts";

export const metadata: Metadata = { title: "Alerts" };

const filters = [
  { state: "open", label: "Open" },
  { state: "FIRING", label: "Firing" },
  { state: "PENDING", label: "Pending" },
  { state: "ACKNOWLEDGED", label: "Acknowledged" },
  { state: "RESOLVED", label: "Resolved" },
  { state: "all", label: "All" },
] as const;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<{ state?: string }> }) {
  const user = await requirePageUser("monitoring:read");
  const requested = (await searchParams).state;
  const state = filters.find((f) => f.state === requested)?.state ?? "open";
  const alerts = await listAlerts(user, { state });
  const href = (value: string) =>
    value === "open" ? "/monitoring/alerts" : `/monitoring/alerts?state=${value}`;
  return (
    <>
      <PageHeader
        title="Alerts"
        breadcrumbs={[{ label: "Monitoring", href: "/monitoring" }, { label: "Alerts" }]}
        description="Rules are evaluated every 30 seconds by the worker. Only firing alerts can be acknowledged."
        actions={<ButtonLink href="/monitoring/alerts/rules">Alert rules</ButtonLink>}
      />
      <Tabs
        label="Alert states"
        items={filters.map((f) => ({ href: href(f.state), label: f.label }))}
        currentHref={href(state)}
      />
      <QueryProvider retry={1}>
        <AlertsLiveList key={state} state={state} initial={alerts} readAt={new Date().toISOString()} />
      </QueryProvider>
    </>
  );
}
