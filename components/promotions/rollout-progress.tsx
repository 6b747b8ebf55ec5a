"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, Circle, LoaderCircle, X } from "lucide-react";
import { useId } from "react";
import { QueryProvider } from "@/components/query-provider";
import { ConfirmDialog, type ConfirmActionResult } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Field, Textarea } from "@/components/ui/field";
import { LoadingState } from "@/components/ui/loading-state";
import { ProgressBar } from "@/components/ui/progress-bar";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { readApiError } from "@/components/runs/run-format";
import type { DeploymentDto, RolloutView } from "@/lib/dal/deployments";
import { postJson } from "./post-json";

/**
 * The KServe rollout a promotion started, step by step, kept current by polling while anything
 * moves (and while none has appeared yet). Offers "Promote to 100%" and "Roll back" to the people
 * allowed to. Self-contained: it brings its own query client, so any page can drop it in.
 */
export interface RolloutProgressProps {
  promotionRequestId: string;
  /** Keep polling while no deployment exists yet (the request is approved or being applied). */
  isRolloutExpected?: boolean;
}

const fastPollMs = 2_000;
const waitPollMs = 5_000;

export function RolloutProgress(props: RolloutProgressProps) {
  return (
    <QueryProvider>
      <RolloutProgressBody {...props} />
    </QueryProvider>
  );
}

async function getRollout(promotionRequestId: string, signal: AbortSignal): Promise<RolloutView> {
  const response = await fetch(
    `/api/deployments?promotionRequestId=${encodeURIComponent(promotionRequestId)}`,
    { signal, cache: "no-store" },
  );
  if (!response.ok) throw new Error((await readApiError(response)).message);
  return (await response.json()) as RolloutView;
}

const queryKey = (id: string) => ["rollout", id] as const;

function RolloutProgressBody({ promotionRequestId, isRolloutExpected = true }: RolloutProgressProps) {
  const query = useQuery({
    queryKey: queryKey(promotionRequestId),
    queryFn: ({ signal }) => getRollout(promotionRequestId, signal),
    refetchInterval: (q) => {
      const deployments = q.state.data?.deployments;
      if (deployments?.some((d) => d.isActive)) return fastPollMs;
      return !deployments?.length && isRolloutExpected ? waitPollMs : false;
    },
  });

  if (query.isPending) return <LoadingState label="Loading the rollout" rows={2} />;
  if (query.isError && !query.data)
    return (
      <ErrorState
        title="Rollout status unavailable"
        message={query.error.message}
        onRetry={() => void query.refetch()}
      />
    );
  const view = query.data!;
  if (!view.deployments.length) {
    return (
      <p className="text-sm text-fg-muted">
        {isRolloutExpected
          ? "No KServe rollout yet. A Production promotion starts a canary once the registry change is applied."
          : "This promotion does not change served traffic."}
      </p>
    );
  }
  return (
    <section aria-label="KServe rollout" aria-live="polite" className="space-y-3">
      <ol className="space-y-3">
        {view.deployments.map((deployment) => (
          <li key={deployment.id}>
            <DeploymentCard deployment={deployment} view={view} promotionRequestId={promotionRequestId} />
          </li>
        ))}
      </ol>
      {query.isError && <p className="text-xs text-warning">Could not refresh: {query.error.message}</p>}
    </section>
  );
}

const actionTitle: Record<DeploymentDto["action"], string> = {
  CANARY: "Canary",
  PROMOTE: "Promote to 100%",
  ROLLBACK: "Roll back",
};

type StepState = "done" | "current" | "failed" | "todo";

function stepsOf(d: DeploymentDto): Array<{ label: string; state: StepState; detail?: string | null }> {
  const applied: StepState =
    d.status === "PENDING"
      ? "current"
      : d.status === "FAILED" && !d.previousRevision && !d.revisionName
        ? "failed"
        : "done";
  const settled: StepState =
    d.status === "SUCCEEDED"
      ? "done"
      : d.status === "FAILED"
        ? applied === "failed"
          ? "todo"
          : "failed"
        : d.status === "IN_PROGRESS"
          ? "current"
          : "todo";
  const target =
    d.action === "CANARY"
      ? `${d.canaryPercent ?? "?"}% of traffic on v${d.modelVersion}`
      : d.action === "PROMOTE"
        ? `all traffic on v${d.modelVersion}`
        : `all traffic back on ${d.modelVersion ? `v${d.modelVersion}` : "the previous revision"}`;
  return [
    { label: `Requested by ${d.requestedByName}`, state: "done" },
    {
      label: "Change applied to the InferenceService",
      state: applied,
      detail: d.status === "PENDING" ? d.step : null,
    },
    { label: `Settled: ${target}`, state: settled, detail: d.status === "FAILED" ? d.error : d.step },
  ];
}

const stepIcon: Record<StepState, React.ReactNode> = {
  done: <Check aria-hidden="true" className="size-4 text-success" />,
  current: <LoaderCircle aria-hidden="true" className="size-4 animate-spin text-accent-text" />,
  failed: <X aria-hidden="true" className="size-4 text-danger" />,
  todo: <Circle aria-hidden="true" className="size-4 text-fg-subtle" />,
};
const stepStateLabel: Record<StepState, string> = {
  done: "done",
  current: "in progress",
  failed: "failed",
  todo: "not started",
};

function DeploymentCard({
  deployment: d,
  view,
  promotionRequestId,
}: {
  deployment: DeploymentDto;
  view: RolloutView;
  promotionRequestId: string;
}) {
  const isLatestOnService = !view.deployments.some(
    (other) =>
      other.serviceName === d.serviceName && other.namespace === d.namespace && other.createdAt > d.createdAt,
  );
  const mayPromote = view.canPromote && view.promotableId === d.id;
  const mayRollback =
    view.canRollback && isLatestOnService && d.action !== "ROLLBACK" && d.status !== "FAILED";
  return (
    <article
      aria-label={`${actionTitle[d.action]} on ${d.serviceName}`}
      className="rounded-md border border-line bg-surface p-3"
    >
      <header className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold">
          {actionTitle[d.action]}{" "}
          <span className="font-mono text-xs font-normal">
            {d.namespace}/{d.serviceName}
          </span>
        </h3>
        <StatusBadge domain="deployment" status={d.status} size="sm" isLive={d.isActive} />
        <span className="text-xs text-fg-muted">
          started <RelativeTime date={d.createdAt} />
        </span>
      </header>
      <ol className="mt-2 space-y-1" aria-label="Steps">
        {stepsOf(d).map((step) => (
          <li key={step.label} className="flex items-start gap-2 text-sm">
            <span className="mt-0.5">{stepIcon[step.state]}</span>
            <span>
              {step.label} <span className="sr-only">({stepStateLabel[step.state]})</span>
              {step.detail && (
                <span
                  className={`block text-xs ${step.state === "failed" ? "text-danger" : "text-fg-muted"}`}
                >
                  {step.detail}
                </span>
              )}
            </span>
          </li>
        ))}
      </ol>
      {d.action === "CANARY" && d.canaryPercent !== null && d.status === "SUCCEEDED" && (
        <ProgressBar
          className="mt-2"
          label={`Traffic on ${d.revisionName ?? "the canary"}`}
          value={d.canaryPercent}
          valueText={`${d.canaryPercent}%`}
          tone="success"
        />
      )}
      {(d.revisionName || d.previousRevision) && (
        <p className="mt-2 font-mono text-xs text-fg-muted">
          {d.previousRevision ?? "—"} → {d.revisionName ?? "…"}
        </p>
      )}
      {d.registryStatus && (
        <div
          role={d.registryStatus === "DIVERGED" ? "alert" : undefined}
          className={`mt-2 rounded-sm px-2 py-1.5 text-xs ${d.registryStatus === "DIVERGED" ? "bg-danger-soft text-danger" : "bg-success-soft text-fg"}`}
        >
          <strong>
            {d.registryStatus === "DIVERGED"
              ? "Registry and serving disagree. "
              : "Registry matches serving. "}
          </strong>
          {d.registryNote}
          {d.registryStatus === "DIVERGED" && view.canRollback && (
            <div className="mt-2">
              <ReconcileButton deployment={d} promotionRequestId={promotionRequestId} />
            </div>
          )}
        </div>
      )}
      {(mayPromote || mayRollback) && (
        <div className="mt-3 flex flex-wrap gap-2">
          {mayPromote && <PromoteButton deployment={d} promotionRequestId={promotionRequestId} />}
          {mayRollback && <RollbackButton deployment={d} promotionRequestId={promotionRequestId} />}
        </div>
      )}
    </article>
  );
}

function useAfterChange(promotionRequestId: string) {
  const client = useQueryClient();
  return async (body: unknown): Promise<ConfirmActionResult> => {
    try {
      await postJson("/api/deployments", body);
      await client.invalidateQueries({ queryKey: queryKey(promotionRequestId) });
    } catch (error) {
      return { error: error instanceof Error ? error.message : "The change could not be requested." };
    }
  };
}

function PromoteButton({
  deployment,
  promotionRequestId,
}: {
  deployment: DeploymentDto;
  promotionRequestId: string;
}) {
  const send = useAfterChange(promotionRequestId);
  return (
    <ConfirmDialog
      triggerLabel="Promote to 100%"
      tone="primary"
      title={`Send all traffic to v${deployment.modelVersion}?`}
      description={`${deployment.serviceName} stops splitting traffic: ${deployment.revisionName ?? "the canary"} takes 100% and ${deployment.previousRevision ?? "the previous revision"} none.`}
      confirmLabel="Promote"
      pendingLabel="Promoting…"
      action={() => send({ action: "promote", deploymentId: deployment.id })}
    />
  );
}

function RollbackButton({
  deployment,
  promotionRequestId,
}: {
  deployment: DeploymentDto;
  promotionRequestId: string;
}) {
  const send = useAfterChange(promotionRequestId);
  const reasonId = useId();
  return (
    <ConfirmDialog
      triggerLabel="Roll back"
      title={`Roll back ${deployment.serviceName}?`}
      description="All traffic returns to the previously rolled-out revision, and the registry's stage or alias moves back to the version it serves."
      confirmLabel="Roll back"
      pendingLabel="Rolling back…"
      action={(form) =>
        send({
          action: "rollback",
          namespace: deployment.namespace,
          serviceName: deployment.serviceName,
          reason: String(form.get("reason") ?? ""),
        })
      }
    >
      <Field id={reasonId} label="Reason" isRequired hint="Recorded in the audit trail.">
        <Textarea name="reason" rows={3} required minLength={3} maxLength={1000} />
      </Field>
    </ConfirmDialog>
  );
}

function ReconcileButton({
  deployment,
  promotionRequestId,
}: {
  deployment: DeploymentDto;
  promotionRequestId: string;
}) {
  const send = useAfterChange(promotionRequestId);
  return (
    <ConfirmDialog
      triggerLabel="Reconcile registry"
      tone="primary"
      title="Move the registry back to the version serving?"
      description={`Switchboard tries again to set the promotion's stage or alias to the version ${deployment.serviceName} serves.`}
      confirmLabel="Reconcile"
      pendingLabel="Reconciling…"
      action={() => send({ action: "reconcile-registry", deploymentId: deployment.id })}
    />
  );
}
