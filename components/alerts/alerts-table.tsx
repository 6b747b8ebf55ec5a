"use client";

import Link from "next/link";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { AlertDto } from "@/lib/dal/alerts";
import { alertKindLabels } from "@/lib/domain/alerts/state-machine";
import { AcknowledgeButton } from "./acknowledge-button";
import { ReconcileButton } from "./reconcile-button";

function Since({ alert }: { alert: AlertDto }) {
  const [label, at] = alert.resolvedAt
    ? ["Resolved", alert.resolvedAt]
    : alert.acknowledgedAt
      ? ["Acknowledged", alert.acknowledgedAt]
      : alert.firedAt
        ? ["Firing since", alert.firedAt]
        : ["Pending since", alert.pendingSince];
  return (
    <span className="text-xs">
      {label} <RelativeTime date={at} />
      {alert.firedAt && alert.state !== "FIRING" && (
        <span className="block text-fg-muted">
          fired <RelativeTime date={alert.firedAt} />
        </span>
      )}
    </span>
  );
}

/** Alerts with what they affect (service, revision, model version, approval) and, for OnCall, acknowledgement. */
export function AlertsTable({
  alerts,
  showService = true,
  onChanged,
  caption,
}: {
  alerts: AlertDto[];
  showService?: boolean;
  onChanged: () => void;
  caption: string;
}) {
  const columns: DataTableColumn<AlertDto>[] = [
    { key: "state", header: "State", cell: (a) => <StatusBadge domain="alert" status={a.state} size="sm" /> },
    {
      key: "alert",
      header: "Alert",
      isRowHeader: true,
      canWrap: true,
      cell: (a) => (
        <span className="block min-w-56">
          <span className="font-medium">{alertKindLabels[a.kind]}</span>: {a.summary}
          <span className="block text-xs text-fg-muted">Rule: {a.rule.description}</span>
          {a.ackNote && (
            <span className="block text-xs text-fg-muted">
              Note from {a.acknowledgedByName ?? "someone"}: {a.ackNote}
            </span>
          )}
        </span>
      ),
    },
    ...(showService
      ? [
          {
            key: "service",
            header: "Service",
            cell: (a: AlertDto) => (
              <Link href={a.links.service} className="text-accent hover:underline">
                {a.serviceName}
              </Link>
            ),
          } satisfies DataTableColumn<AlertDto>,
        ]
      : []),
    {
      key: "revision",
      header: "Revision",
      cell: (a) =>
        a.revisionName ? (
          <Link href={a.links.service} className="font-mono text-xs text-accent hover:underline">
            {a.revisionName}
          </Link>
        ) : (
          <span className="text-fg-muted">Service-wide</span>
        ),
    },
    {
      key: "model",
      header: "Model version",
      isInteractive: true,
      cell: (a) => (
        <span className="text-xs">
          {a.links.model ? (
            <Link href={a.links.model} className="text-accent hover:underline">
              {a.modelName} v{a.modelVersion ?? "?"}
            </Link>
          ) : (
            <span className="text-fg-muted">{a.modelVersion ? `v${a.modelVersion}` : "Unknown"}</span>
          )}
          {a.links.approval && (
            <Link href={a.links.approval} className="block text-accent hover:underline">
              Approval record
            </Link>
          )}
        </span>
      ),
    },
    { key: "since", header: "Since", cell: (a) => <Since alert={a} /> },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      isInteractive: true,
      cell: (a) =>
        a.canAcknowledge || a.canReconcile ? (
          <span className="flex flex-wrap gap-2">
            {a.canAcknowledge && <AcknowledgeButton alertId={a.id} summary={a.summary} onDone={onChanged} />}
            {a.canReconcile && (
              <ReconcileButton
                alertId={a.id}
                serviceName={a.serviceName}
                summary={a.summary}
                onDone={onChanged}
              />
            )}
          </span>
        ) : null,
    },
  ];
  return (
    <DataTable
      caption={caption}
      columns={columns}
      rows={alerts}
      rowKey={(a) => a.id}
      density="compact"
      empty={<p className="p-4 text-sm text-fg-muted">No alerts.</p>}
    />
  );
}
