import { StatusBadge } from "@/components/ui/status-badge";

/** KServe readiness with the failing condition's reason next to it. */
export function ReadinessBadge({
  readiness,
  failing,
}: {
  readiness: "Ready" | "NotReady" | "Unknown";
  failing: { type: string; reason: string | null; message: string | null } | null;
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <StatusBadge domain="service" status={readiness} size="sm" />
      {failing && (
        <span className="text-xs text-fg-muted" title={failing.message ?? undefined}>
          {failing.type}: {failing.reason ?? "no reason given"}
        </span>
      )}
    </span>
  );
}

/** "network-anomaly-predictor-00003 90 % · …-00004 10 %" */
export function TrafficSplit({
  traffic,
}: {
  traffic: Array<{ revisionName: string; percent: number; tags: string[]; modelVersion?: string | null }>;
}) {
  const serving = traffic.filter((t) => t.percent > 0);
  if (!serving.length) return <span className="text-fg-muted">No traffic</span>;
  return (
    <ul className="space-y-0.5 text-xs">
      {serving.map((t) => (
        <li key={t.revisionName}>
          <span className="font-mono">{t.revisionName}</span>{" "}
          {t.modelVersion && <span>v{t.modelVersion} </span>}
          <span className="tabular-nums font-medium">{t.percent} %</span>
          {t.tags.length > 0 && <span className="text-fg-muted"> ({t.tags.join(", ")})</span>}
        </li>
      ))}
    </ul>
  );
}
