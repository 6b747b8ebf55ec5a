/**
 * Every BullMQ job id, built in one place. A job id is a dedupe key: BullMQ ignores an add whose id
 * it already holds, so the web app, the handlers and the reconcilers must agree on it to the letter,
 * or a reconciler re-enqueues work that is already queued (or misses work that is not).
 */
export const jobIds = {
  submitRun: (runId: string) => `submit-${runId}`,
  /** Check N of a training run; N is the row's `attempts` when it was scheduled. */
  pollRun: (runId: string, check: number) => `poll-${runId}-${check}`,
  cancelRun: (runId: string, reason: string) => `cancel-${runId}-${reason}`,
  /** `slot` is a poll check number, or "final" for the sync after the run ended. */
  syncMetrics: (mlflowRunId: string, slot: number | "final") => `sync-${mlflowRunId}-${slot}`,
  /**
   * Deduplication ids (BullMQ `deduplication`, held while the job waits or runs, not after): a
   * viewer-triggered sync of a run, and the whole-history read that completes a sampled first copy.
   */
  syncMetricsInFlight: (mlflowRunId: string) => `sync-metrics-${mlflowRunId}`,
  completeMetricsInFlight: (mlflowRunId: string) => `complete-metrics-${mlflowRunId}`,
  /** One evaluation of a request's gates; the revision makes each re-evaluation (refresh) its own job. */
  evaluateGates: (requestId: string, revision: number) => `evaluate-gates-${requestId}-${revision}`,
  applyPromotion: (requestId: string) => `apply-promotion-${requestId}`,
  applyDeployment: (deploymentId: string) => `deploy-${deploymentId}`,
  /** A delayed status check of a rollout in progress. */
  checkDeployment: (deploymentId: string, check: number) => `deploy-${deploymentId}-check-${check}`,
  /** A person's retry of a rollback's diverged registry step: each press is its own job, `at` its time. */
  restoreRegistry: (deploymentId: string, at: number) => `restore-registry-${deploymentId}-${at}`,
  notifyAudit: (auditSeq: bigint | string) => `webhook-${auditSeq}`,
  notifyAlert: (notificationId: string) => `alert-notification-${notificationId}`,
  /** Per click (`requestedAt` in ms): a second click after a failed attempt must run again. */
  alignRegistry: (alertId: string, requestedAt: number) => `align-registry-${alertId}-${requestedAt}`,
  computeDrift: (monitorId: string, slot: number) => `compute-drift-${monitorId}-${slot}`,
  /** `slot` is "requested", or the minute a reconciler found the trigger still queued. */
  triggerDagRun: (triggerId: string, slot: "requested" | number) => `trigger-dag-run-${triggerId}-${slot}`,
  /** The same slots, for a Data Factory pipeline run. */
  createAdfPipelineRun: (triggerId: string, slot: "requested" | number) =>
    `create-adf-run-${triggerId}-${slot}`,
} as const;

/** The check number in an id built by `pollRun` or `checkDeployment`, or undefined for any other id. */
export function checkNumberOf(jobId: string | undefined, prefixOfCheck: string): number | undefined {
  if (!jobId?.startsWith(prefixOfCheck)) return undefined;
  const check = Number(jobId.slice(prefixOfCheck.length));
  return Number.isInteger(check) ? check : undefined;
}

export const pollRunPrefix = (runId: string) => jobIds.pollRun(runId, 0).slice(0, -1);
export const checkDeploymentPrefix = (deploymentId: string) =>
  jobIds.checkDeployment(deploymentId, 0).slice(0, -1);
