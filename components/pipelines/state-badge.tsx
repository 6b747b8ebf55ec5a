import { Badge } from "@/components/ui/badge";
import { humanizeStatus } from "@/components/ui/status";
import type { Tone } from "@/components/ui/tone";

/**
 * Airflow's DagState and TaskState (Data Factory's statuses arrive mapped onto them, plus its
 * canceling and cancelled), toned by meaning; an unknown state reads neutral in its own words.
 */
const states: Record<string, { tone: Tone; label: string; isActive: boolean }> = {
  queued: { tone: "neutral", label: "Queued", isActive: true },
  scheduled: { tone: "neutral", label: "Scheduled", isActive: true },
  running: { tone: "progress", label: "Running", isActive: true },
  deferred: { tone: "progress", label: "Deferred", isActive: true },
  restarting: { tone: "progress", label: "Restarting", isActive: true },
  up_for_retry: { tone: "warning", label: "Up for retry", isActive: true },
  up_for_reschedule: { tone: "warning", label: "Up for reschedule", isActive: true },
  success: { tone: "success", label: "Success", isActive: false },
  failed: { tone: "danger", label: "Failed", isActive: false },
  upstream_failed: { tone: "danger", label: "Upstream failed", isActive: false },
  skipped: { tone: "neutral", label: "Skipped", isActive: false },
  removed: { tone: "neutral", label: "Removed", isActive: false },
  none: { tone: "neutral", label: "Not started", isActive: false },
  canceling: { tone: "warning", label: "Cancelling", isActive: true },
  cancelled: { tone: "neutral", label: "Cancelled", isActive: false },
};

export function PipelineStateBadge({ state, isLive = false }: { state: string; isLive?: boolean }) {
  const { tone, label, isActive } = Object.hasOwn(states, state)
    ? states[state]
    : { tone: "neutral" as const, label: humanizeStatus(state), isActive: false };
  const badge = (
    <Badge tone={tone} hasDot isPulsing={isActive}>
      {label}
    </Badge>
  );
  return isLive ? (
    <span role="status" aria-live="polite" aria-atomic="true" className="inline-flex">
      {badge}
    </span>
  ) : (
    badge
  );
}

const databricksTones: Record<string, Tone> = {
  SUCCESS: "success",
  FAILED: "danger",
  TIMEDOUT: "danger",
  CANCELED: "neutral",
  INTERNAL_ERROR: "danger",
};

/** A Databricks run's state: the result once it has one, else its life cycle. */
export function DatabricksStateBadge({
  lifeCycleState,
  resultState,
}: {
  lifeCycleState: string | null;
  resultState: string | null;
}) {
  const shown = resultState ?? lifeCycleState ?? "UNKNOWN";
  const isFinished = Boolean(resultState) || lifeCycleState === "INTERNAL_ERROR";
  return (
    <Badge
      tone={databricksTones[shown] ?? (isFinished ? "neutral" : "progress")}
      hasDot
      isPulsing={!isFinished}
    >
      {humanizeStatus(shown)}
    </Badge>
  );
}
