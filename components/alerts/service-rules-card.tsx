"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/components/monitoring/api";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import type { AlertRuleDto, ServiceRulesDto } from "@/lib/dal/alerts";
import { alertKindLabels, formatThreshold } from "@/lib/domain/alerts/state-machine";
import { RuleFormDialog } from "./rule-form-dialog";

interface Editing {
  /** Remounts the form for each opening, so it starts from the rule (or the defaults) again. */
  session: number;
  isOpen: boolean;
  rule?: AlertRuleDto;
}

/** One service's alert rules; people with alerts:configure add, edit, disable and delete them. */
export function ServiceRulesCard({
  service,
  canConfigure,
}: {
  service: ServiceRulesDto;
  canConfigure: boolean;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState<Editing>({ session: 0, isOpen: false });
  const [status, setStatus] = useState<{ tone: "success" | "danger"; message: string } | null>(null);
  const [togglingId, setTogglingId] = useState<string | null>(null);
  const unusedKinds = service.availableKinds.filter(
    (kind) => !service.rules.some((rule) => rule.kind === kind),
  );
  const open = (rule?: AlertRuleDto) =>
    setEditing((current) => ({ session: current.session + 1, isOpen: true, rule }));
  const done = (message: string) => {
    setStatus({ tone: "success", message });
    router.refresh();
  };

  async function toggle(rule: AlertRuleDto) {
    setTogglingId(rule.id);
    setStatus(null);
    try {
      const body = {
        namespace: service.namespace,
        serviceName: service.serviceName,
        kind: rule.kind,
        threshold: rule.threshold,
        forMinutes: rule.forMinutes,
        isEnabled: !rule.isEnabled,
      };
      await fetchJson("/api/alerts/rules", { method: "PUT", body: JSON.stringify(body) });
      done(`${alertKindLabels[rule.kind]} rule ${rule.isEnabled ? "disabled" : "enabled"}.`);
    } catch (error) {
      setStatus({
        tone: "danger",
        message: error instanceof Error ? error.message : "The rule was not changed.",
      });
    } finally {
      setTogglingId(null);
    }
  }

  const columns: DataTableColumn<AlertRuleDto>[] = [
    {
      key: "rule",
      header: "Rule",
      isRowHeader: true,
      canWrap: true,
      cell: (rule) => (
        <span className="block min-w-48">
          <span className="font-medium">{alertKindLabels[rule.kind]}</span>
          <span className="block text-xs text-fg-muted">{rule.description}</span>
        </span>
      ),
    },
    {
      key: "threshold",
      header: "Threshold",
      align: "end",
      cell: (rule) => <span className="tabular-nums">{formatThreshold(rule.kind, rule.threshold)}</span>,
    },
    {
      key: "for",
      header: "For",
      align: "end",
      cell: (rule) => (
        <span className="tabular-nums">{rule.forMinutes ? `${rule.forMinutes} min` : "at once"}</span>
      ),
    },
    {
      key: "state",
      header: "State",
      cell: (rule) =>
        rule.isEnabled ? (
          <Badge tone="success" size="sm" hasDot>
            Enabled
          </Badge>
        ) : (
          <Badge size="sm" hasDot>
            Disabled
          </Badge>
        ),
    },
    ...(canConfigure
      ? [
          {
            key: "actions",
            header: <span className="sr-only">Actions</span>,
            isInteractive: true,
            align: "end",
            cell: (rule) => {
              // The rules page lists several services: each button names its rule and service.
              const name = `${alertKindLabels[rule.kind].toLowerCase()} rule on ${service.serviceName}`;
              return (
                <span className="flex justify-end gap-2">
                  <Button onClick={() => open(rule)} aria-label={`Edit ${name}`}>
                    Edit
                  </Button>
                  <Button
                    onClick={() => toggle(rule)}
                    isLoading={togglingId === rule.id}
                    aria-label={`${rule.isEnabled ? "Disable" : "Enable"} ${name}`}
                  >
                    {rule.isEnabled ? "Disable" : "Enable"}
                  </Button>
                  <ConfirmDialog
                    triggerLabel="Delete"
                    triggerAriaLabel={`Delete ${name}`}
                    triggerVariant="ghost"
                    title={`Delete the ${name}?`}
                    description={
                      <>
                        {rule.description} stops being checked on {service.serviceName}, and its past alerts
                        are deleted with it (the audit trail keeps the rule). To keep the history, disable it
                        instead.
                        {service.rules.length === 1 &&
                          " It is the service's last rule, so nothing on the service will alert until someone adds a rule: the defaults are not re-created."}
                      </>
                    }
                    confirmLabel="Delete rule"
                    pendingLabel="Deleting…"
                    action={async () => {
                      try {
                        await fetchJson(`/api/alerts/rules/${rule.id}`, { method: "DELETE" });
                      } catch (error) {
                        return {
                          error: error instanceof Error ? error.message : "The rule was not deleted.",
                        };
                      }
                      done(`${alertKindLabels[rule.kind]} rule deleted.`);
                    }}
                  />
                </span>
              );
            },
          } satisfies DataTableColumn<AlertRuleDto>,
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Link href={service.href} className="text-accent hover:underline">
          {service.serviceName}
        </Link>
      }
      description={
        service.isServed
          ? `Namespace ${service.namespace}`
          : `Namespace ${service.namespace} · no longer served by KServe`
      }
      actions={
        canConfigure && unusedKinds.length > 0 ? (
          <Button
            size="sm"
            variant="primary"
            icon={<Plus aria-hidden="true" className="size-3.5" />}
            onClick={() => open()}
            aria-label={`Add rule to ${service.serviceName}`}
          >
            Add rule
          </Button>
        ) : undefined
      }
      padding="none"
    >
      {status && (
        <Notice tone={status.tone} live={status.tone === "danger" ? "assertive" : "polite"} className="m-3">
          {status.message}
        </Notice>
      )}
      <DataTable
        caption={`Alert rules of ${service.serviceName}`}
        columns={columns}
        rows={service.rules}
        rowKey={(rule) => rule.id}
        density="compact"
        empty={
          <EmptyState
            size="compact"
            title="No rules yet"
            description={
              canConfigure
                ? "A new service gets the defaults (p95 latency, error rate, drift and no data) at its first evaluation, within 30 seconds. Deleted rules are not re-created: add a rule to alert on this service."
                : "A new service gets the defaults at its first evaluation, within 30 seconds; deleted rules are not re-created. On-call engineers and admins can add rules."
            }
          />
        }
      />
      {canConfigure && editing.session > 0 && (
        <RuleFormDialog
          key={editing.session}
          isOpen={editing.isOpen}
          onClose={() => setEditing((current) => ({ ...current, isOpen: false }))}
          namespace={service.namespace}
          serviceName={service.serviceName}
          rule={editing.rule}
          availableKinds={editing.rule ? [editing.rule.kind] : unusedKinds}
          onSaved={(saved) => {
            setEditing((current) => ({ ...current, isOpen: false }));
            done(`Saved: ${saved.description}.`);
          }}
        />
      )}
    </Card>
  );
}
