import { StatusBadge } from "@/components/ui/status-badge";
import type { RunStatusValue } from "@/components/ui/status";

const asRunStatus: Record<string, RunStatusValue> = {
  RUNNING: "RUNNING",
  SCHEDULED: "QUEUED",
  FINISHED: "SUCCEEDED",
  FAILED: "FAILED",
  KILLED: "CANCELLED",
};

/** An MLflow run status (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED) in the platform's run badge. */
export function MlflowStatusBadge({ status }: { status: string }) {
  return (
    <StatusBadge
      domain="run"
      status={asRunStatus[status] ?? "QUEUED"}
      size="sm"
      isLive={status === "RUNNING"}
    />
  );
}
