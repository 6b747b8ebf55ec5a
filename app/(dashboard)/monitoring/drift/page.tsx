import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { DateTime } from "@/components/ui/date-time";
import { formatPercent } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listDriftMonitors } from "@/lib/dal/drift";

export const metadata: Metadata = { title: "Drift" };

export default async function DriftMonitorsPage() {
  const user = await requirePageUser("monitoring:read");
  const monitors = await listDriftMonitors(user);
  return (
    <>
      <PageHeader
        title="Drift"
        breadcrumbs={[{ label: "Monitoring", href: "/monitoring" }, { label: "Drift" }]}
        description="Every service whose payload logger reaches Switchboard, with the dataset drift share of its newest computed window."
      />
      <Card padding="none">
        <DataTable
          caption="Monitored services"
          rows={monitors}
          rowKey={(row) => `${row.namespace}/${row.service}`}
          rowHref={(row) =>
            `/monitoring/${encodeURIComponent(row.namespace)}/${encodeURIComponent(row.service)}/drift`
          }
          columns={[
            {
              key: "service",
              header: "Service",
              cell: (row) => `${row.namespace}/${row.service}`,
              isRowHeader: true,
            },
            { key: "version", header: "Model version", cell: (row) => row.modelVersion },
            { key: "features", header: "Features", value: (row) => row.featureCount, format: "integer" },
            {
              key: "share",
              header: "Drift share",
              value: (row) => row.latest?.share ?? null,
              format: (value) => (value === null || value === undefined ? "—" : formatPercent(value, 0)),
            },
            {
              key: "state",
              header: "Dataset drift",
              cell: (row) =>
                !row.latest ? (
                  <Badge>Not computed</Badge>
                ) : row.latest.isDrifted ? (
                  <Badge tone="danger" hasDot>
                    Drifted
                  </Badge>
                ) : (
                  <Badge tone="success">Stable</Badge>
                ),
            },
            {
              key: "window",
              header: "Newest window",
              cell: (row) => (row.latest ? <DateTime value={row.latest.windowStart} /> : "—"),
              hideBelow: "md",
            },
          ]}
          empty={
            <EmptyState
              title="No drift monitors yet"
              description="A monitor starts when a service's KServe payload logger first posts to /api/ingest/kserve."
            />
          }
        />
      </Card>
    </>
  );
}
