"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import type { FleetService } from "@/lib/services/monitoring/fleet-snapshot";
import { fetchJson, postForDialog } from "./api";

/** What a rollback will do to this service, in the words of its current traffic. */
function rollbackEffect(service: FleetService): string {
  const serving = service.traffic.filter((t) => t.percent > 0);
  const latest = service.revisions.latestReady;
  if (service.isCanaryInProgress) {
    const baseline = serving.find((t) => t.revisionName !== latest)?.revisionName ?? "the previous revision";
    return `The canary ${latest ?? ""} stops taking traffic (canaryTrafficPercent 0); ${baseline} takes 100 %.`;
  }
  return `All traffic returns to the previously rolled-out revision${service.revisions.previousRolledout ? ` ${service.revisions.previousRolledout}` : ""}.`;
}

/** OnCall's "Roll back": confirmed with a reason, recorded and audited, applied by the worker. */
export function RollbackButton({
  service,
  isDisabled,
  onDone,
}: {
  service: FleetService;
  isDisabled: boolean;
  onDone: () => void;
}) {
  const reasonId = useId();
  return (
    <ConfirmDialog
      triggerLabel="Roll back"
      isTriggerDisabled={isDisabled}
      title={`Roll back ${service.name}?`}
      description={rollbackEffect(service)}
      confirmLabel="Roll back"
      pendingLabel="Rolling back…"
      action={async (form) => {
        const result = await postForDialog("/api/deployments", {
          action: "rollback",
          namespace: service.namespace,
          serviceName: service.name,
          reason: String(form.get("reason") ?? ""),
        });
        if (!result) onDone();
        return result;
      }}
    >
      <Field id={reasonId} label="Reason" hint="Recorded in the audit trail and on the rollout." isRequired>
        <Textarea id={reasonId} name="reason" required minLength={3} rows={3} />
      </Field>
    </ConfirmDialog>
  );
}

/** OnCall's silence window: no new alerts for the service until it ends (firing ones stay visible). */
export function SilenceButton({
  namespace,
  serviceName,
  onDone,
}: {
  namespace: string;
  serviceName: string;
  onDone: () => void;
}) {
  const durationId = useId();
  const reasonId = useId();
  return (
    <ConfirmDialog
      triggerLabel="Silence"
      triggerVariant="secondary"
      tone="primary"
      title={`Silence ${serviceName}`}
      description="New alerts for this service are held back until the window ends. Alerts already firing stay visible."
      confirmLabel="Silence"
      pendingLabel="Silencing…"
      action={async (form) => {
        const result = await postForDialog("/api/alerts/silences", {
          namespace,
          serviceName,
          durationMinutes: Number(form.get("durationMinutes")),
          reason: String(form.get("reason") ?? ""),
        });
        if (!result) onDone();
        return result;
      }}
    >
      <Field id={durationId} label="Minutes" isRequired>
        <Input
          id={durationId}
          name="durationMinutes"
          type="number"
          min={1}
          max={10080}
          defaultValue={60}
          required
        />
      </Field>
      <Field id={reasonId} label="Reason" isRequired>
        <Textarea id={reasonId} name="reason" required minLength={3} rows={2} />
      </Field>
    </ConfirmDialog>
  );
}

/** Ends a silence before its window is over (the fix is in); alerts resume at the next evaluation. */
export function EndSilenceButton({
  silenceId,
  serviceName,
  onDone,
}: {
  silenceId: string;
  serviceName: string;
  onDone: () => void;
}) {
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button
        size="sm"
        variant="secondary"
        isLoading={isPending}
        aria-label={`End the silence on ${serviceName} now`}
        onClick={async () => {
          setIsPending(true);
          setError(null);
          try {
            await fetchJson(`/api/alerts/silences/${silenceId}`, { method: "DELETE" });
            onDone();
          } catch (failure) {
            setError(failure instanceof Error ? failure.message : "The silence was not ended.");
          } finally {
            setIsPending(false);
          }
        }}
      >
        End silence now
      </Button>
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
    </span>
  );
}
