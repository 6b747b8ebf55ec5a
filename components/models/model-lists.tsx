import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatNumber } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DeploymentDto } from "@/lib/dal/deployments";
import type { ModelListItem, ModelVersionItem, ServingSummary } from "@/lib/dal/models";
import { AliasBadge, RegistryBadge, StageBadge, TagList } from "./model-badges";

export const modelHref = (name: string, version?: string) =>
  `/models/${encodeURIComponent(name)}${version ? `?version=${encodeURIComponent(version)}` : ""}`;

const muted = (text: string) => <span className="text-fg-subtle">{text}</span>;

export function ModelsTable({ models, query }: { models: ModelListItem[]; query?: string }) {
  const columns: DataTableColumn<ModelListItem>[] = [
    {
      key: "name",
      header: "Model",
      cell: (m) => <span className="font-mono text-xs">{m.name}</span>,
      isRowHeader: true,
    },
    {
      key: "registry",
      header: "Registry",
      cell: (m) => <RegistryBadge registry={m.registry} />,
      hideBelow: "md",
    },
    {
      key: "serving",
      header: "Stages and aliases",
      cell: (m) =>
        m.stages.length || m.aliases.length ? (
          <span className="flex flex-wrap gap-1">
            {m.stages.map((s) => (
              <StageBadge key={s.stage} stage={`${s.stage} v${s.version}`} />
            ))}
            {m.aliases.map((a) => (
              <AliasBadge key={a.alias} alias={`${a.alias} v${a.version}`} />
            ))}
          </span>
        ) : (
          muted("—")
        ),
    },
    {
      key: "description",
      header: "Description",
      cell: (m) =>
        m.description ? <span className="text-fg-muted">{m.description}</span> : muted("No description"),
      canWrap: true,
    },
    { key: "tags", header: "Tags", cell: (m) => <TagList tags={m.tags} />, hideBelow: "lg", canWrap: true },
    {
      key: "updated",
      header: "Updated",
      cell: (m) => (m.updatedAt ? <RelativeTime date={m.updatedAt} /> : "—"),
      hideBelow: "md",
    },
  ];
  return (
    <DataTable
      caption={query ? `Registered models matching “${query}”` : "Registered models"}
      columns={columns}
      rows={models}
      rowKey={(m) => `${m.registry}:${m.name}`}
      rowHref={(m) => modelHref(m.name)}
      empty={
        <EmptyState
          size="compact"
          title={query ? "No models match" : "No registered models"}
          description={
            query
              ? "Try part of a name, a word from a description, or a tag value."
              : "Models registered in MLflow or Unity Catalog appear here."
          }
        />
      }
    />
  );
}

export function VersionsTable({
  modelName,
  versions,
  selected,
}: {
  modelName: string;
  versions: ModelVersionItem[];
  selected?: string;
}) {
  const columns: DataTableColumn<ModelVersionItem>[] = [
    {
      key: "version",
      header: "Version",
      cell: (v) => <span className={v.version === selected ? "font-semibold" : undefined}>v{v.version}</span>,
      isRowHeader: true,
    },
    {
      key: "stage",
      header: "Stage / aliases",
      cell: (v) => (
        <span className="flex flex-wrap gap-1">
          {v.stage && v.stage !== "None" && <StageBadge stage={v.stage} />}
          {v.aliases.map((a) => (
            <AliasBadge key={a} alias={a} />
          ))}
          {(!v.stage || v.stage === "None") && !v.aliases.length && muted("—")}
        </span>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (v) => (
        <Badge
          size="sm"
          tone={v.status === "READY" ? "success" : v.status === "FAILED_REGISTRATION" ? "danger" : "progress"}
        >
          {v.status.replaceAll("_", " ").toLowerCase()}
        </Badge>
      ),
    },
    {
      key: "run",
      header: "Source run",
      cell: (v) =>
        v.lineage.run ? (
          <span className="font-mono text-xs">
            {v.lineage.run.name ?? v.lineage.run.mlflowRunId.slice(0, 12)}
          </span>
        ) : (
          muted("—")
        ),
      hideBelow: "md",
    },
    {
      key: "dataset",
      header: "Dataset",
      cell: (v) =>
        v.lineage.dataset ? (
          <span className="font-mono text-xs break-all">{v.lineage.dataset.name}</span>
        ) : (
          muted("—")
        ),
      hideBelow: "lg",
      canWrap: true,
    },
    {
      key: "metrics",
      header: "Metrics",
      cell: (v) =>
        v.metrics.length ? (
          <span className="text-xs tabular-nums">
            {v.metrics.map((m) => `${m.key} ${formatNumber(m.value, 3)}`).join(" · ")}
          </span>
        ) : (
          muted("—")
        ),
      canWrap: true,
    },
    {
      key: "created",
      header: "Registered",
      cell: (v) => (v.createdAt ? <RelativeTime date={v.createdAt} /> : "—"),
      hideBelow: "md",
    },
  ];
  return (
    <DataTable
      caption={`Versions of ${modelName}, newest first`}
      columns={columns}
      rows={versions}
      rowKey={(v) => v.version}
      rowHref={(v) => modelHref(modelName, v.version)}
      empty={
        <EmptyState
          size="compact"
          title="No versions yet"
          description="Register a version from a finished training run."
        />
      }
    />
  );
}

export function ServingTable({ serving }: { serving: ServingSummary[] }) {
  const columns: DataTableColumn<ServingSummary>[] = [
    {
      key: "service",
      header: "InferenceService",
      cell: (s) => (
        <span className="font-mono text-xs">
          {s.namespace}/{s.serviceName}
        </span>
      ),
      isRowHeader: true,
    },
    {
      key: "version",
      header: "Version in spec",
      cell: (s) => (s.servedVersion ? `v${s.servedVersion}` : muted("unknown")),
    },
    {
      key: "ready",
      header: "Ready",
      cell: (s) => <StatusBadge domain="service" status={s.isReady ? "Ready" : "NotReady"} size="sm" />,
    },
    {
      key: "traffic",
      header: "Traffic",
      cell: (s) => (
        <span className="font-mono text-xs">
          {s.traffic.map((t) => `${t.revisionName} ${t.percent}%`).join(", ") || "—"}
        </span>
      ),
      canWrap: true,
    },
    {
      key: "mapped",
      header: "Linked by",
      cell: (s) => <span className="text-xs text-fg-muted">{s.mappedBy}</span>,
      hideBelow: "lg",
    },
  ];
  return (
    <DataTable
      caption="KServe services serving this model"
      columns={columns}
      rows={serving}
      rowKey={(s) => `${s.namespace}/${s.serviceName}`}
      rowHref={(s) => s.monitoringHref}
      empty={
        <EmptyState
          size="compact"
          title="Not served"
          description="No InferenceService is linked to this model (by annotation, models:/ URI or a <model>/<version> storage path)."
        />
      }
    />
  );
}

const actionLabel: Record<DeploymentDto["action"], string> = {
  CANARY: "Canary",
  PROMOTE: "Promote to 100%",
  ROLLBACK: "Roll back",
};

export function DeploymentHistory({ deployments }: { deployments: DeploymentDto[] }) {
  const columns: DataTableColumn<DeploymentDto>[] = [
    {
      key: "action",
      header: "Change",
      cell: (d) =>
        actionLabel[d.action] + (d.action === "CANARY" && d.canaryPercent ? ` ${d.canaryPercent}%` : ""),
      isRowHeader: true,
    },
    {
      key: "service",
      header: "Service",
      cell: (d) => <span className="font-mono text-xs">{d.serviceName}</span>,
    },
    { key: "version", header: "Version", cell: (d) => (d.modelVersion ? `v${d.modelVersion}` : "—") },
    {
      key: "status",
      header: "Status",
      cell: (d) => <StatusBadge domain="deployment" status={d.status} size="sm" isLive={d.isActive} />,
    },
    {
      key: "step",
      header: "Step",
      cell: (d) => <span className="text-xs text-fg-muted">{d.error ?? d.step ?? "—"}</span>,
      canWrap: true,
    },
    { key: "when", header: "Started", cell: (d) => <RelativeTime date={d.createdAt} />, hideBelow: "md" },
    {
      key: "request",
      header: "Request",
      cell: (d) =>
        d.promotionRequestId ? (
          <Link className="text-accent-text hover:underline" href={`/approvals/${d.promotionRequestId}`}>
            View
          </Link>
        ) : (
          "—"
        ),
      isInteractive: true,
      hideBelow: "lg",
    },
  ];
  return (
    <DataTable
      caption="Recent rollouts of this model"
      columns={columns}
      rows={deployments}
      rowKey={(d) => d.id}
      empty={
        <EmptyState
          size="compact"
          title="No rollouts yet"
          description="Approved Production promotions start a canary here."
        />
      }
    />
  );
}
