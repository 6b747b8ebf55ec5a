import type { Logger } from "pino";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { jobIds } from "@/lib/queue/job-ids";

/** How long a row may sit without progress before the reconciler looks for its job. */
const staleAfterMs = 2 * 60_000;
const pendingStates = ["waiting", "delayed", "active", "prioritized", "waiting-children"] as const;

/**
 * The promotion and rollout counterpart of reconcile-runs: an approved request still waiting to be
 * applied, or a deployment still in flight, whose job is no longer in the queue (lost with Redis, failed
 * for good, or never added because the web app's enqueue failed) gets it again. Both handlers check the
 * registry and KServe before acting, so an extra job never applies anything twice.
 */
export async function reconcileRollouts(deps: WorkerDeps, log: Logger, now = new Date()) {
  const staleBefore = new Date(now.getTime() - staleAfterMs);
  const [requests, deployments, evaluating] = await Promise.all([
    deps.db.promotionRequest.findMany({
      where: { status: { in: ["APPROVED", "APPLYING"] }, updatedAt: { lt: staleBefore } },
      select: { id: true },
      take: 1_000,
    }),
    deps.db.deployment.findMany({
      where: { status: { in: ["PENDING", "IN_PROGRESS"] }, updatedAt: { lt: staleBefore } },
      select: { id: true },
      take: 1_000,
    }),
    deps.db.promotionRequest.findMany({
      where: { status: "EVALUATING", evaluationError: null, updatedAt: { lt: staleBefore } },
      select: { id: true, revision: true },
      take: 1_000,
    }),
  ]);
  let requeued = 0;
  const mlflowQueue = deps.producer.queue("mlflow");
  for (const { id, revision } of evaluating) {
    const jobId = jobIds.evaluateGates(id, revision);
    const state = await mlflowQueue.getJobState(jobId);
    if ((pendingStates as readonly string[]).includes(state)) continue;
    if (state === "completed" || state === "failed") await mlflowQueue.remove(jobId);
    await deps.producer.enqueue("mlflow.evaluate-gates", { requestId: id }, { jobId });
    requeued += 1;
  }
  for (const { id } of requests) {
    const jobId = jobIds.applyPromotion(id);
    const state = await mlflowQueue.getJobState(jobId);
    if ((pendingStates as readonly string[]).includes(state)) continue;
    // A finished job with the same id would swallow the new one (ids dedupe), so it goes first.
    if (state === "completed" || state === "failed") await mlflowQueue.remove(jobId);
    await deps.producer.enqueue("mlflow.apply-promotion", { requestId: id }, { jobId });
    requeued += 1;
  }

  if (deployments.length) {
    // Follow-up checks carry a check number in their id, so look for any pending job of the deployment.
    const pending = await deps.producer.queue("kserve").getJobs([...pendingStates]);
    const followed = new Set(pending.map((job) => (job.data as { deploymentId?: string }).deploymentId));
    for (const { id } of deployments) {
      if (followed.has(id)) continue;
      // A check number no earlier job used, so this check and the ones it schedules are new ids.
      const check = 1_000_000 + Math.floor(now.getTime() / 1000);
      await deps.producer.enqueue(
        "kserve.apply-deployment",
        { deploymentId: id },
        { jobId: jobIds.checkDeployment(id, check) },
      );
      requeued += 1;
    }
  }
  if (requeued) log.warn({ requeued }, "re-enqueued promotions and rollouts whose jobs were missing");
  return { requeued };
}

export const reconcileRolloutHandlers: Pick<HandlerRegistry<WorkerDeps>, "maintenance.reconcile-rollouts"> = {
  "maintenance.reconcile-rollouts": async (_payload, { deps, log }) => {
    await reconcileRollouts(deps, log);
  },
};
