import { Badge } from "@/components/ui/badge";
import { formatDuration } from "@/components/ui/format";
import type { Tone } from "@/components/ui/tone";
import type { Freshness, FreshnessState } from "@/lib/domain/features/freshness";

const labels: Record<FreshnessState, { label: string; tone: Tone }> = {
  fresh: { label: "Fresh", tone: "success" },
  stale: { label: "Stale", tone: "danger" },
  never: { label: "Never materialized", tone: "warning" },
  unbounded: { label: "No TTL", tone: "neutral" },
  offline: { label: "Offline only", tone: "neutral" },
};

export function FreshnessBadge({ state }: { state: FreshnessState }) {
  const { label, tone } = labels[state];
  return (
    <Badge tone={tone} hasDot>
      {label}
    </Badge>
  );
}

/** The words behind the badge: how old the online values are against the TTL. */
export function freshnessSentence(freshness: Freshness): string {
  const age = freshness.ageSeconds === null ? null : formatDuration(freshness.ageSeconds * 1000);
  const ttl = formatDuration(freshness.ttlSeconds * 1000);
  switch (freshness.state) {
    case "fresh":
      return `Last materialized ${age} ago, within its ${ttl} TTL.`;
    case "stale":
      return `Last materialized ${age} ago, longer than its ${ttl} TTL: online reads return no values for entities not updated since.`;
    case "never":
      return "Served online but never materialized: online reads return no values.";
    case "unbounded":
      return `Last materialized ${age} ago; values never expire (no TTL).`;
    case "offline":
      return "Not served online: read offline for training only.";
  }
}
