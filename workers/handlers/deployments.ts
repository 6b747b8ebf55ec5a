import type { Job } from "bullmq";
import type { Logger } from "pino";
import { summariseService, isConflict, type InferenceService } from "@/lib/clients/kserve";
import { appendAuditEvent } from "@/lib/db/audit";
import type { DeploymentStatus, Prisma } from "@/lib/db/client";
import { deploymentSelect, type DeploymentRow } from "@/lib/db/deployments";
import { registryOf } from "@/lib/domain/promotion/evidence";
import {
  assessRollout,
  nextCheckDelayMs,
  rolloutTimeoutMs,
  type RolloutAction,
} from "@/lib/domain/rollout/progress";
import { describeTarget, productionAlias, type PromotionTarget } from "@/lib/domain/rollout/promotion-target";
import {
  previousVersionAnnotation,
  servedModelAnnotation,
  servedModelOf,
  servedVersionAnnotation,
} from "@/lib/domain/rollout/serving-map";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { checkDeploymentPrefix, checkNumberOf, jobIds } from "@/lib/queue/job-ids";
import {
  applyToRegistry,
  isLastAttempt,
  isPermanent,
  readRegistryState,
  safeErrorMessage,
  workerActor,
} from "./promotions";

/**
 * Rolls a deployment out to KServe (the rollout's state machine; the promotion request's is
 * ./promotions.ts). Row first, then the patch, each step recorded with its audit event in the same
 * transaction, and the service re-read before acting so a re-run after a crash repeats nothing:
 * - apply-deployment: PENDING → (patch the InferenceService) → IN_PROGRESS → delayed checks of its
 *   status → SUCCEEDED | FAILED, recording the new and previous revision names.
 * - restore-registry: after a rollback settles, the registry's stage or alias follows the version
 *   serving again, or the deployment says DIVERGED with the reason.
 */

type DeploymentJobs = "kserve.apply-deployment" | "mlflow.restore-registry";

// ---------------------------------------------------------------------------------------------
// kserve.apply-deployment

const verbOf: Record<RolloutAction, string> = { CANARY: "canary", PROMOTE: "promote", ROLLBACK: "rollback" };

async function updateDeployment(
  deps: Pick<WorkerDeps, "db">,
  row: DeploymentRow,
  from: DeploymentStatus,
  data: Prisma.DeploymentUpdateManyMutationInput,
  audit?: { action: string; before?: unknown; after?: unknown },
) {
  return deps.db.$transaction(async (tx) => {
    const { count } = await tx.deployment.updateMany({ where: { id: row.id, status: from }, data });
    if (count && audit)
      await appendAuditEvent(tx, {
        actor: workerActor,
        entityType: "Deployment",
        entityId: row.id,
        ...audit,
      });
    return count > 0;
  });
}

function trafficOf(service: InferenceService) {
  const summary = summariseService(service);
  return {
    storageUri: summary.model.storageUri,
    canaryTrafficPercent: summary.canaryTrafficPercent ?? null,
    traffic: summary.traffic.map((t) => ({ revisionName: t.revisionName, percent: t.percent })),
  };
}

/** The spec change for this action; undefined when the service already has it (a re-run after a crash). */
function patchFor(row: DeploymentRow, service: InferenceService): Record<string, unknown> | undefined {
  const predictor = service.spec.predictor;
  const canary = predictor.canaryTrafficPercent;
  if (row.action === "PROMOTE")
    return canary === undefined ? undefined : { spec: { predictor: { canaryTrafficPercent: null } } };
  if (row.action === "ROLLBACK")
    return canary === 0 ? undefined : { spec: { predictor: { canaryTrafficPercent: 0 } } };
  const isApplied = predictor.model?.storageUri === row.storageUri && canary === row.canaryPercent;
  if (isApplied) return undefined;
  // The version serving now is written down too: it is what a rollback returns to (serving-map.ts).
  const servingNow = row.modelName ? servedModelOf(service, [row.modelName]) : undefined;
  const previous = servingNow?.modelName === row.modelName ? (servingNow.version ?? null) : null;
  const annotations = row.modelName
    ? {
        [servedModelAnnotation]: row.modelName,
        [servedVersionAnnotation]: row.modelVersion ?? null,
        [previousVersionAnnotation]: previous,
      }
    : undefined;
  return {
    metadata: { annotations },
    spec: { predictor: { canaryTrafficPercent: row.canaryPercent, model: { storageUri: row.storageUri } } },
  };
}

/** Merge-patches the service on its current resourceVersion, re-reading after a concurrent change. */
async function patchService(
  deps: WorkerDeps,
  row: DeploymentRow,
): Promise<{ before: InferenceService; patched: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const before = await deps.clients.kserve.get(row.serviceName, row.namespace);
    const patch = patchFor(row, before);
    if (!patch) return { before, patched: false };
    // A rollback may have superseded this change since the job started: then leave the service alone.
    const current = await deps.db.deployment.findUnique({ where: { id: row.id }, select: { status: true } });
    if (current?.status !== "PENDING") return { before, patched: false };
    const withPrecondition = {
      ...patch,
      metadata: {
        ...(patch.metadata as object | undefined),
        resourceVersion: before.metadata.resourceVersion,
      },
    };
    try {
      await deps.clients.kserve.patch(row.serviceName, withPrecondition, { namespace: row.namespace });
      return { before, patched: true };
    } catch (error) {
      if (!isConflict(error) || attempt >= 3) throw error;
    }
  }
}

async function scheduleCheck(deps: WorkerDeps, deploymentId: string, check: number) {
  const intervals = {
    minMs: deps.config.SWITCHBOARD_ROLLOUT_CHECK_MIN_MS,
    maxMs: deps.config.SWITCHBOARD_ROLLOUT_CHECK_MAX_MS,
  };
  await deps.producer.enqueue(
    "kserve.apply-deployment",
    { deploymentId },
    { jobId: jobIds.checkDeployment(deploymentId, check), delayMs: nextCheckDelayMs(check - 1, intervals) },
  );
}

export async function applyDeployment(
  deploymentId: string,
  jobId: string | undefined,
  deps: WorkerDeps,
  log: Logger,
  job?: Pick<Job, "attemptsMade" | "opts">,
): Promise<void> {
  const row = await deps.db.deployment.findUnique({ where: { id: deploymentId }, select: deploymentSelect });
  if (!row || row.status === "SUCCEEDED" || row.status === "FAILED") return;
  const verb = verbOf[row.action];
  const fail = async (from: DeploymentStatus, error: unknown, step: string) => {
    const message = safeErrorMessage(error);
    await updateDeployment(
      deps,
      row,
      from,
      { status: "FAILED", step, error: message, finishedAt: new Date() },
      { action: `deployment.${verb}-failed`, after: { error: message } },
    );
    log.warn({ deploymentId, err: error }, "deployment failed");
  };

  if (row.status === "PENDING") {
    let result: Awaited<ReturnType<typeof patchService>>;
    try {
      if (row.action === "CANARY" && (!row.storageUri || !row.canaryPercent))
        throw new RangeError("A canary needs a storage URI and a traffic percent.");
      result = await patchService(deps, row);
    } catch (error) {
      if (isPermanent(error) || isLastAttempt(job))
        return fail("PENDING", error, `Could not change ${row.serviceName}`);
      throw error;
    }
    const summary = summariseService(result.before);
    const previousRevision =
      row.action === "ROLLBACK"
        ? summary.revisions.latestCreated
        : (summary.revisions.latestRolledout ?? summary.revisions.latestReady);
    const moved = await updateDeployment(
      deps,
      row,
      "PENDING",
      {
        status: "IN_PROGRESS",
        step: "Applied to KServe; waiting for the new traffic split",
        previousRevision: previousRevision ?? null,
      },
      {
        action: `deployment.${verb}-applied`,
        before: trafficOf(result.before),
        after: {
          storageUri: row.storageUri,
          canaryPercent: row.action === "CANARY" ? row.canaryPercent : row.action === "ROLLBACK" ? 0 : null,
          wasAlreadyApplied: !result.patched,
        },
      },
    );
    if (moved) await scheduleCheck(deps, deploymentId, 1);
    return;
  }

  // The first job (no check number in its id) is check 0.
  const check = checkNumberOf(jobId, checkDeploymentPrefix(deploymentId)) ?? 0;
  if (Date.now() - row.createdAt.getTime() > rolloutTimeoutMs) {
    return fail(
      "IN_PROGRESS",
      new RangeError(
        `${row.serviceName} did not settle within ${rolloutTimeoutMs / 60_000} minutes (last step: ${row.step ?? "none"}).`,
      ),
      "Timed out",
    );
  }
  let service: InferenceService;
  try {
    service = await deps.clients.kserve.get(row.serviceName, row.namespace);
  } catch (error) {
    if (isPermanent(error)) return fail("IN_PROGRESS", error, `Could not read ${row.serviceName}`);
    // Unavailable for now: try again on the next check rather than burning the job's retries.
    log.warn({ deploymentId, err: error }, "status check failed; trying later");
    return scheduleCheck(deps, deploymentId, check + 1);
  }
  const assessment = assessRollout(row.action, summariseService(service), {
    canaryPercent: row.canaryPercent,
  });
  if (assessment.outcome === "waiting") {
    if (assessment.step !== row.step)
      await deps.db.deployment.updateMany({
        where: { id: row.id, status: "IN_PROGRESS" },
        data: { step: assessment.step, revisionName: assessment.revisionName ?? row.revisionName },
      });
    return scheduleCheck(deps, deploymentId, check + 1);
  }
  const revisions = {
    revisionName: assessment.revisionName ?? row.revisionName,
    previousRevision: assessment.previousRevision ?? row.previousRevision,
  };
  if (assessment.outcome === "failed") {
    await updateDeployment(
      deps,
      row,
      "IN_PROGRESS",
      {
        status: "FAILED",
        step: assessment.step,
        error: assessment.message ?? assessment.step,
        finishedAt: new Date(),
        ...revisions,
      },
      {
        action: `deployment.${verb}-failed`,
        after: { ...revisions, error: assessment.message, traffic: trafficOf(service).traffic },
      },
    );
    return;
  }
  // A rollback settles only once the registry says what serves (or why it cannot), so pages polling it see both at once.
  if (row.action === "ROLLBACK") await restoreRegistry(deploymentId, deps, log);
  await updateDeployment(
    deps,
    row,
    "IN_PROGRESS",
    { status: "SUCCEEDED", step: assessment.step, error: null, finishedAt: new Date(), ...revisions },
    {
      action: `deployment.${verb}-succeeded`,
      after: { ...revisions, traffic: trafficOf(service).traffic },
    },
  );
  log.info({ deploymentId, action: row.action, ...revisions }, "deployment settled");
}

// ---------------------------------------------------------------------------------------------
// mlflow.restore-registry (also run when a rollback settles)

/**
 * A rollback is a governed change: once traffic is back on the previous revision, record which
 * version serves again and move the promotion's stage or alias back to it, so registry, pages and
 * KServe agree. When that cannot be done the deployment says DIVERGED, with the reason, and the
 * page offers to run this again (one click); nothing is guessed.
 */
export async function restoreRegistry(
  deploymentId: string,
  deps: Pick<WorkerDeps, "db" | "clients">,
  log: Logger,
): Promise<void> {
  const row = await deps.db.deployment.findUnique({
    where: { id: deploymentId },
    select: {
      ...deploymentSelect,
      promotionRequest: { select: { registry: true, modelName: true, targetStage: true, targetAlias: true } },
    },
  });
  if (
    !row ||
    row.action !== "ROLLBACK" ||
    row.status === "PENDING" ||
    row.status === "FAILED" ||
    row.registryStatus === "UPDATED" ||
    row.registryStatus === "IN_SYNC"
  )
    return;
  const request = row.promotionRequest;
  let served: ReturnType<typeof servedModelOf> = undefined;
  const record = async (
    registryStatus: "IN_SYNC" | "UPDATED" | "DIVERGED",
    registryNote: string,
    modelVersion: string | null,
    audit?: { before?: unknown },
  ) =>
    deps.db.$transaction(async (tx) => {
      await tx.deployment.update({
        where: { id: deploymentId },
        data: {
          registryStatus,
          registryNote,
          modelName: request?.modelName ?? row.modelName ?? served?.modelName,
          modelVersion,
        },
      });
      await appendAuditEvent(tx, {
        actor: workerActor,
        action:
          registryStatus === "DIVERGED" ? "deployment.registry-diverged" : "deployment.registry-restored",
        entityType: "Deployment",
        entityId: deploymentId,
        before: audit?.before ?? null,
        after: { registryStatus, registryNote, servingVersion: modelVersion },
      });
    });
  try {
    served = servedModelOf(
      await deps.clients.kserve.get(row.serviceName, row.namespace),
      [request?.modelName, row.modelName].filter((name): name is string => Boolean(name)),
    );
  } catch (error) {
    return record(
      "DIVERGED",
      `Could not read ${row.serviceName} to see which version serves: ${safeErrorMessage(error)}`,
      null,
    );
  }
  // Without a promotion (a rollout made by hand, or one whose request is gone) the target is the
  // registry's production one, as the serving reconciler compares: stage Production, or @champion on
  // Unity Catalog. A service that does not say which model it serves is left alone, not guessed.
  const modelName = request?.modelName ?? served?.modelName;
  if (!modelName) return;
  const targetOf: Omit<PromotionTarget, "version"> = request ?? {
    registry: registryOf(modelName),
    modelName,
    ...(registryOf(modelName) === "UNITY_CATALOG"
      ? { targetStage: null, targetAlias: productionAlias }
      : { targetStage: "Production", targetAlias: null }),
  };
  const target = describeTarget(targetOf);
  if (served?.modelName !== modelName || !served.version) {
    return record(
      "DIVERGED",
      `Which version of ${modelName} serves after the rollback is unknown (the service does not record the version it served before); the registry still names ${target}'s holder.`,
      null,
    );
  }
  const promotion: PromotionTarget = { ...targetOf, version: served.version };
  try {
    const state = await readRegistryState(deps, promotion);
    if (state.isApplied)
      return record("IN_SYNC", `The registry already has v${served.version} in ${target}.`, served.version);
    await applyToRegistry(deps, promotion);
    await record(
      "UPDATED",
      `${target} moved back to v${served.version}, the version serving after the rollback.`,
      served.version,
      { before: state.before },
    );
    log.info({ deploymentId, target, version: served.version }, "registry moved back after a rollback");
  } catch (error) {
    await record(
      "DIVERGED",
      `The registry could not be moved back to v${served.version} in ${target}: ${safeErrorMessage(error)}`,
      served.version,
    );
  }
}

export const deploymentHandlers: Pick<HandlerRegistry<WorkerDeps>, DeploymentJobs> = {
  "kserve.apply-deployment": ({ deploymentId }, { deps, log, job }) =>
    applyDeployment(deploymentId, job.id, deps, log, job),
  "mlflow.restore-registry": ({ deploymentId }, { deps, log }) => restoreRegistry(deploymentId, deps, log),
};
