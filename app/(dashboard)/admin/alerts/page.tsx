import type { Metadata } from "next";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { KeyValueList } from "@/components/ui/key-value-list";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { describeBreach } from "@/lib/domain/alerts/state-machine";
import { listAlertDefaults } from "@/lib/dal/alert-defaults";
import { AlertDefaultsForm } from "@/components/admin/alert-defaults-form";

export const metadata: Metadata = { title: "Admin: alert defaults and channels" };

const kindLabel = {
  LATENCY_P95: "p95 latency",
  ERROR_RATE: "Error rate",
  DRIFT_SHARE: "Drift share",
  NO_DATA: "No data",
  LLM_TTFT_P95: "Time to first token p95",
  LLM_QUEUE_SIZE: "LLM queue size",
  REGISTRY_MISMATCH: "Registry and serving disagree",
} as const;

export default async function AdminAlertsPage() {
  const user = await requirePageUser("admin:read");
  const { defaults, canManage } = await listAlertDefaults(user);
  const webhook = getConfig().NOTIFY_WEBHOOK_URL;
  return (
    <>
      <PageHeader
        title="Admin"
        description="The alert rules every new service starts with, and where Switchboard sends what it has to say."
      />
      <AdminTabs current="/admin/alerts" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card
          title="Alert rule defaults"
          description={`Seeded once per service the first time it is evaluated; on-call then tunes each service's rules on its monitoring page.${canManage ? " Changes are audited." : " Only admins change them."}`}
          padding="none"
        >
          {canManage ? (
            <AlertDefaultsForm defaults={defaults} />
          ) : (
            <DataTable
              caption="Default alert rules"
              rows={defaults}
              rowKey={(r) => r.kind}
              columns={[
                { key: "kind", header: "Rule", isRowHeader: true, cell: (r) => kindLabel[r.kind] },
                {
                  key: "fires",
                  header: "Fires when",
                  cell: (r) =>
                    describeBreach(r, null)
                      .replace(/^.*?(>|≥)/, "$1")
                      .replace(/^no requests/, "no requests"),
                },
                {
                  key: "for",
                  header: "For",
                  cell: (r) => (r.forMinutes ? `${r.forMinutes} min` : "at once"),
                },
                {
                  key: "changed",
                  header: "Changed by",
                  cell: (r) => r.changedBy ?? <span className="text-fg-muted">Built-in default</span>,
                },
              ]}
            />
          )}
        </Card>
        <Card title="Notification channels">
          <KeyValueList
            items={[
              { label: "In-app inbox", value: <Badge tone="success">On</Badge> },
              {
                label: "Teams/Slack webhook",
                value: webhook ? (
                  <Badge tone="success">On: {new URL(webhook).host}</Badge>
                ) : (
                  <Badge tone="neutral">Off (NOTIFY_WEBHOOK_URL unset)</Badge>
                ),
              },
            ]}
          />
          <p className="mt-3 text-xs text-fg-muted">
            The inbox gets promotion requests, decisions, overrides and firing alerts. The webhook gets the
            same for promotions and alerts; its URL is a secret, so only its host is shown.
          </p>
        </Card>
      </div>
    </>
  );
}
