"use client";

import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { readApiError } from "@/components/runs/run-format";

/** Admins pause or unpause a DAG in Airflow; a confirmation says what it changes for everyone. */
export function PauseToggle({ dagId, isPaused }: { dagId: string; isPaused: boolean }) {
  const router = useRouter();
  async function toggle() {
    const response = await fetch(`/api/pipelines/${encodeURIComponent(dagId)}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ isPaused: !isPaused }),
    });
    if (!response.ok) return { error: (await readApiError(response)).message };
    router.refresh();
  }
  return (
    <ConfirmDialog
      triggerLabel={isPaused ? "Unpause" : "Pause"}
      triggerVariant="secondary"
      title={isPaused ? `Unpause ${dagId}?` : `Pause ${dagId}?`}
      description={
        isPaused
          ? "Airflow resumes its schedule and starts any queued runs."
          : "Airflow stops scheduling new runs for everyone until it is unpaused; running tasks finish and triggered runs wait."
      }
      confirmLabel={isPaused ? "Unpause" : "Pause"}
      pendingLabel={isPaused ? "Unpausing…" : "Pausing…"}
      tone={isPaused ? "primary" : "danger"}
      action={toggle}
    />
  );
}
