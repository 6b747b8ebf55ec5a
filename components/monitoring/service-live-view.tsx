"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertsTable } from "@/components/alerts/alerts-table";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { ServicePage } from "@/lib/dal/monitoring";
import { formatLatencyMs, formatRate, formatShare, MetricCell, NoData } from "./metric-cell";
import { fetchJson, pollMs } from "./api";
import { ReadinessBadge, TrafficSplit } from "./readiness-badge";
import { EndSilenceButton, RollbackButton, SilenceButton } from "./service-actions";

/** A rollout in flight is followed closely; otherwise the normal poll. */
const rolloutPollMs = 3_000;

export function ServiceLiveView({ initial }: { initial: ServicePage }) {
  const queryClient = useQueryClient();
  const { namespace, name } = initial.service;
  const queryKey = ["monitoring-service", namespace, name];
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey,
    queryFn: () =>
      fetchJson<ServicePage>(
        `/api/monitoring/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
      ),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.readAt),
    refetchInterval: (query) =>
      query.state.data?.deployments.some((d) => d.isActive) ? rolloutPollMs : pollMs,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["monitoring-service", namespace, name] });
  const { service } = data;
  const updated = (
    <>
      Updated <RelativeTime date={dataUpdatedAt} />
    </>
  );
  const isRollbackActive = data.deployments.some((d) => d.isActive && d.action === "ROLLBACK");
  const canRollBackNow = service.isCanaryInProgress || Boolean(service.revisions.previousRolledout);
  const driftHref = `/monitoring/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/drift`;

  return (
    <div className="space-y-5">
      {error && (
        <Notice tone="warning" live="polite">
          Could not refresh: {error.message} Showing the last data received.
        </Notice>
      )}
      <Card
        title="Status"
        lastUpdated={updated}
        actions={
          <>
            {data.canAcknowledge && (
              <SilenceButton namespace={namespace} serviceName={name} onDone={refresh} />
            )}
            {data.canRollback && (
              <RollbackButton
                service={service}
                isDisabled={isRollbackActive || !canRollBackNow}
                onDone={refresh}
              />
            )}
          </>
        }
      >
        <KeyValueList
          layout="grid"
          items={[
            {
              label: "Readiness",
              value: <ReadinessBadge readiness={service.readiness} failing={service.failing} />,
            },
            {
              label: "URL",
              value: service.url ?? <span className="text-fg-muted">None yet</span>,
              isMono: true,
            },
            {
              label: "Model version",
              value: service.model.name ? (
                <Link
                  href={`/models/${encodeURIComponent(service.model.name)}`}
                  className="text-accent hover:underline"
                >
                  {service.model.name} v{service.model.version ?? "?"}
                </Link>
              ) : (
                <span className="text-fg-muted">Not linked to a registered model</span>
              ),
            },
            {
              label: "Approval",
              value: data.approvalId ? (
                <Link href={`/approvals/${data.approvalId}`} className="text-accent hover:underline">
                  Approval record
                </Link>
              ) : (
                <span className="text-fg-muted">Not rolled out through Switchboard</span>
              ),
            },
            { label: "Traffic", value: <TrafficSplit traffic={service.traffic} /> },
            {
              label: "Canary",
              value: service.isCanaryInProgress
                ? `${service.canaryTrafficPercent ?? "?"} % on ${service.revisions.latestReady}`
                : "No canary in progress",
            },
            { label: "Transition", value: service.transitionStatus ?? "—" },
            {
              label: "p95 latency (1 min)",
              value: (
                <MetricCell
                  label="p95 latency"
                  value={service.metrics.p95Ms}
                  series={service.metrics.sparklines.p95Ms}
                  format={formatLatencyMs}
                />
              ),
            },
            {
              label: "Requests",
              value: (
                <MetricCell
                  label="request rate"
                  value={service.metrics.requestRate}
                  series={service.metrics.sparklines.requestRate}
                  format={formatRate}
                />
              ),
            },
            {
              label: "Error rate",
              value: (
                <MetricCell
                  label="error rate"
                  value={service.metrics.errorShare}
                  series={service.metrics.sparklines.errorShare}
                  format={formatShare}
                />
              ),
            },
            {
              label: "Dataset drift share",
              value: (
                <span className="inline-flex items-center gap-2">
                  {data.drift ? (
                    <span className={data.drift.share >= 0.5 ? "font-semibold text-danger" : undefined}>
                      {data.drift.share.toFixed(2)}
                    </span>
                  ) : (
                    <NoData />
                  )}
                  <Link href={driftHref} className="text-xs text-accent hover:underline">
                    Drift details
                  </Link>
                </span>
              ),
            },
          ]}
        />
      </Card>

      <Card title="Conditions" lastUpdated={updated} padding="none">
        <DataTable
          caption="KServe conditions"
          rows={data.conditions}
          rowKey={(c) => c.type}
          density="compact"
          columns={[
            { key: "type", header: "Condition", isRowHeader: true, cell: (c) => c.type },
            {
              key: "status",
              header: "Status",
              cell: (c) => (
                <StatusBadge
                  domain="service"
                  status={c.status === "True" ? "Ready" : c.status === "False" ? "NotReady" : "Unknown"}
                  size="sm"
                />
              ),
            },
            {
              key: "reason",
              header: "Reason",
              canWrap: true,
              cell: (c) =>
                c.reason ? (
                  <span title={c.message ?? undefined}>
                    {c.reason}
                    {c.message ? `: ${c.message}` : ""}
                  </span>
                ) : (
                  "—"
                ),
            },
            {
              key: "since",
              header: "Since",
              cell: (c) => (c.lastTransitionTime ? <RelativeTime date={c.lastTransitionTime} /> : "—"),
            },
          ]}
          empty={<p className="p-4 text-sm text-fg-muted">KServe has not reported conditions yet.</p>}
        />
      </Card>

      <Card
        title="Rollouts"
        description="Changes Switchboard made to this service, newest first."
        lastUpdated={updated}
        padding="none"
      >
        <DataTable
          caption="Rollouts of this service"
          rows={data.deployments}
          rowKey={(d) => d.id}
          density="compact"
          columns={[
            {
              key: "status",
              header: "Status",
              cell: (d) => (
                <StatusBadge domain="deployment" status={d.status} size="sm" isLive={d.isActive} />
              ),
            },
            {
              key: "action",
              header: "Change",
              isRowHeader: true,
              cell: (d) =>
                `${d.action.charAt(0)}${d.action.slice(1).toLowerCase()}${d.modelVersion ? ` to v${d.modelVersion}` : ""}`,
            },
            {
              key: "step",
              header: "Progress",
              canWrap: true,
              cell: (d) => (
                <span>
                  {d.step ?? "—"}
                  {d.error && <span className="block text-xs text-danger">{d.error}</span>}
                </span>
              ),
            },
            {
              key: "revision",
              header: "Revision",
              cell: (d) =>
                d.revisionName ? <span className="font-mono text-xs">{d.revisionName}</span> : "—",
            },
            { key: "by", header: "By", cell: (d) => d.requestedByName },
            { key: "when", header: "When", cell: (d) => <RelativeTime date={d.createdAt} /> },
          ]}
          empty={<p className="p-4 text-sm text-fg-muted">No rollouts recorded by Switchboard.</p>}
        />
      </Card>

      <Card
        title="Alerts"
        description="The latest alerts of this service."
        lastUpdated={updated}
        padding="none"
      >
        {data.silences.length > 0 && (
          <Notice tone="info" className="m-4">
            Silenced until <RelativeTime date={data.silences[data.silences.length - 1].endsAt} /> by{" "}
            {data.silences[0].createdByName}: {data.silences[0].reason}
            {data.canAcknowledge && (
              <span className="mt-2 flex flex-wrap gap-2">
                {data.silences.map((silence) => (
                  <EndSilenceButton
                    key={silence.id}
                    silenceId={silence.id}
                    serviceName={data.service.name}
                    onDone={refresh}
                  />
                ))}
              </span>
            )}
          </Notice>
        )}
        <AlertsTable
          alerts={data.alerts}
          showService={false}
          caption="Alerts of this service"
          onChanged={refresh}
        />
      </Card>

      <Card
        title="Alert rules"
        description="Evaluated every 30 seconds by the worker; services get default rules when they have none."
        actions={
          <ButtonLink
            href={`/monitoring/alerts/rules?namespace=${encodeURIComponent(data.service.namespace)}&service=${encodeURIComponent(data.service.name)}`}
            size="sm"
          >
            Rules page
          </ButtonLink>
        }
      >
        {data.rules.length ? (
          <ul className="space-y-1 text-sm">
            {data.rules.map((rule) => (
              <li key={rule.id} className={rule.isEnabled ? undefined : "text-fg-muted line-through"}>
                {rule.description}
                {!rule.isEnabled && <span className="sr-only"> (disabled)</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">No rules yet: the next evaluation adds the defaults.</p>
        )}
      </Card>
    </div>
  );
}
