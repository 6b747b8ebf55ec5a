import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { StatusBadge } from "@/components/ui/status-badge";
import type { RunLineage as Lineage } from "@/lib/dal/runs";
import { serviceHref } from "@/lib/navigation";

/** Run → model version → promotion → deployment, each a link; read after the page's first paint. */
export async function RunLineage({
  lineage: reading,
  registeredModelName,
}: {
  lineage: Promise<Lineage>;
  registeredModelName?: string;
}) {
  const lineage = await reading;
  if (lineage.registryError) return <Notice tone="warning">{lineage.registryError}</Notice>;
  if (!lineage.versions.length) {
    return (
      <EmptyState
        size="compact"
        title="No model version registered from this run"
        description={
          registeredModelName
            ? `The run registers its model as ${registeredModelName} when it succeeds.`
            : "The run was launched without “Register the model as”."
        }
      />
    );
  }
  return (
    <ul aria-label="Model versions registered from this run" className="space-y-3 text-sm">
      {lineage.versions.map((v) => (
        <li key={`${v.name}-${v.version}`} className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <Link
              href={`/models/${encodeURIComponent(v.name)}`}
              className="font-medium text-accent-text underline"
            >
              {v.name} v{v.version}
            </Link>
            {v.stage && v.stage !== "None" && <span className="text-fg-muted">{v.stage}</span>}
            {v.aliases.map((alias) => (
              <span key={alias} className="font-mono text-xs text-fg-muted">
                @{alias}
              </span>
            ))}
          </div>
          {v.promotions.map((p) => (
            <div key={p.id} className="flex flex-wrap items-center gap-2 pl-4">
              <Link href={`/approvals/${p.id}`} className="text-accent-text underline">
                Promotion of v{v.version} to {p.target}
              </Link>
              <StatusBadge domain="promotion" status={p.status} size="sm" />
            </div>
          ))}
          {v.deployments.map((d) => (
            <div key={d.id} className="flex flex-wrap items-center gap-2 pl-4">
              <Link href={serviceHref(d.namespace, d.serviceName)} className="text-accent-text underline">
                {d.action.toLowerCase()} of v{v.version} on {d.serviceName}
              </Link>
              <StatusBadge domain="deployment" status={d.status} size="sm" />
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}
