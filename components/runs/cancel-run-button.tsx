"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { readApiError } from "./run-format";

/** Cancel with confirmation; the worker cancels on Databricks (or before submitting, if not yet sent). */
export function CancelRunButton({
  runId,
  runName,
  onCancelled,
}: {
  runId: string;
  runName: string;
  onCancelled: () => void;
}) {
  return (
    <ConfirmDialog
      triggerLabel="Cancel run"
      title="Cancel this run?"
      description={`"${runName}" stops on Databricks and ends as Cancelled. Epochs already logged stay in MLflow.`}
      confirmLabel="Cancel run"
      pendingLabel="Cancelling…"
      action={async () => {
        const response = await fetch(`/api/runs/${runId}/cancel`, { method: "POST" });
        if (!response.ok) return { error: (await readApiError(response)).message };
        onCancelled();
      }}
    />
  );
}
