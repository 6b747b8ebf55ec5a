"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { postForDialog } from "@/components/monitoring/api";

/**
 * One click on a "registry and serving disagree" alert: the registry's production target moves to
 * the version KServe serves; the alert resolves on the reconciler's next pass (within a minute).
 */
export function ReconcileButton({
  alertId,
  serviceName,
  summary,
  onDone,
}: {
  alertId: string;
  serviceName: string;
  summary: string;
  onDone: () => void;
}) {
  return (
    <ConfirmDialog
      triggerLabel="Reconcile registry"
      triggerAriaLabel={`Reconcile the registry with what ${serviceName} serves`}
      triggerVariant="secondary"
      tone="primary"
      title="Move the registry to what serves"
      description={`${summary}. The registry's production stage or alias will name the version serving now; KServe is not changed. Audited.`}
      confirmLabel="Reconcile registry"
      pendingLabel="Reconciling…"
      action={async () => {
        const result = await postForDialog(`/api/alerts/${alertId}/reconcile`, {});
        if (!result) onDone();
        return result;
      }}
    />
  );
}
