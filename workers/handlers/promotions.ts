import type { Job } from "bullmq";
import type { Logger } from "pino";
import { type InferenceService } from "@/lib/clients/kserve";
import { CloudApiError } from "@/lib/clients/http";
import { appendAuditEvent, type AuditEventInput } from "@/lib/db/audit";
import type { Prisma, PromotionStatus } from "@/lib/db/client";
import { pinnedPolicy, policyInForce } from "@/lib/db/policies";
import { usersWhoCan } from "@/lib/db/users";
import { collectEvidence, type EvidenceClients } from "@/lib/services/promotion/collect-evidence";
import { gateFactsOf, type PromotionTarget as RequestTarget } from "@/lib/domain/promotion/evidence";
import { allGatesPass, evaluateGates } from "@/lib/domain/promotion/gates";
import { policyTargetOf } from "@/lib/domain/promotion/policy";
import { canaryPercentRange } from "@/lib/domain/rollout/progress";
import {
  archivesIncumbents,
  describeTarget,
  isProductionTarget,
  normaliseStage,
  type PromotionTarget,
} from "@/lib/domain/rollout/promotion-target";
import { servedModelOf, storageUriForVersion } from "@/lib/domain/rollout/serving-map";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { jobIds } from "@/lib/queue/job-ids";

/**
 * Judges and applies promotion requests (the request's state machine; its rollouts to KServe are
 * ./deployments.ts). Rows first, then side effects, each step recorded with its audit event in the
 * same transaction; every handler reads the cloud's current state before acting, so a re-run after
 * a crash never applies anything twice:
 * - evaluate-gates: EVALUATING → OPEN with the gates' verdicts, pinned to the policy in force.
 * - apply-promotion: APPROVED → APPLYING → (stage transition or alias move) → APPLIED | FAILED;
 *   production targets then get one CANARY Deployment per InferenceService serving the model.
 */

type PromotionJobs = "mlflow.evaluate-gates" | "mlflow.apply-promotion";

/** The audit actor for what the worker does on behalf of the approvers. */
export const workerActor = { oid: "system:switchboard-worker", name: "Switchboard worker" } as const;

export const isLastAttempt = (job?: Pick<Job, "attemptsMade" | "opts">) =>
  !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** A message fit for the request page: the cloud's own words for refusals, nothing internal otherwise. */
export function safeErrorMessage(error: unknown): string {
  if (error instanceof CloudApiError) return error.message.slice(0, 500);
  if (error instanceof RangeError) return error.message.slice(0, 500);
  return "Unexpected error while applying the change; the platform team can find it in the worker logs.";
}

export const isPermanent = (error: unknown) => !(error instanceof CloudApiError) || !error.retryable;

// ---------------------------------------------------------------------------------------------
// mlflow.evaluate-gates

/**
 * Gathers the facts (MLflow metrics of candidate and incumbent, evaluation size, evidence tags,
 * data-quality results) and judges them by the policy pinned on the request: EVALUATING → OPEN.
 * A registry that stays unreachable leaves the request EVALUATING with the reason, for a refresh.
 */
export interface EvaluateGatesDeps {
  db: WorkerDeps["db"];
  clients: EvidenceClients;
  config: Pick<WorkerDeps["config"], "NOTIFY_WEBHOOK_URL">;
  producer: Pick<WorkerDeps["producer"], "enqueue">;
}

export async function evaluateRequestGates(
  requestId: string,
  deps: EvaluateGatesDeps,
  log: Logger,
  job?: Pick<Job, "attemptsMade" | "opts">,
): Promise<void> {
  const row = await deps.db.promotionRequest.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      status: true,
      revision: true,
      modelName: true,
      version: true,
      targetStage: true,
      targetAlias: true,
      policyId: true,
      requestedById: true,
      requiredApprovals: true,
    },
  });
  if (!row || row.status !== "EVALUATING") return;
  const target: RequestTarget = row.targetStage
    ? { kind: "stage", name: row.targetStage as "Staging" | "Production" }
    : { kind: "alias", name: row.targetAlias! };
  let evidence: Awaited<ReturnType<typeof collectEvidence>>;
  try {
    evidence = await collectEvidence(
      { clients: deps.clients, db: deps.db },
      { modelName: row.modelName, version: row.version, target },
    );
  } catch (error) {
    if (!isPermanent(error) && !isLastAttempt(job)) throw error;
    const message = `Could not gather the facts to evaluate the gates: ${safeErrorMessage(error)}`;
    await deps.db.promotionRequest.updateMany({
      where: { id: requestId, status: "EVALUATING", revision: row.revision },
      data: { evaluationError: message },
    });
    log.warn({ requestId, err: error }, "gate evaluation failed");
    return;
  }
  const policy = await pinnedPolicy(deps.db, row, policyTargetOf(target));
  const gates = evaluateGates(policy, gateFactsOf(evidence));
  const gatesPassed = allGatesPass(gates);
  const failed = gates.filter((g) => !g.passed);
  const seq = await deps.db.$transaction(async (tx) => {
    const { count } = await tx.promotionRequest.updateMany({
      where: { id: requestId, status: "EVALUATING", revision: row.revision },
      data: {
        status: "OPEN",
        evidence,
        gateResults: gates as unknown as Prisma.InputJsonValue,
        gatesPassed,
        incumbentVersion: evidence.incumbent?.version ?? null,
        evaluationError: null,
        revision: { increment: 1 },
      },
    });
    if (!count) return null;
    const event = await appendAuditEvent(tx, {
      actor: workerActor,
      action: "promotion.gates-evaluated",
      entityType: "PromotionRequest",
      entityId: requestId,
      after: {
        policy: { id: policy.id, target: policy.target, version: policy.version },
        gates: gates.map((g) => ({ id: g.id, passed: g.passed, actual: g.actual, threshold: g.threshold })),
        gatesPassed,
      },
    });
    const reviewers = await usersWhoCan(tx, "promotions:decide", [row.requestedById]);
    const verdict = gatesPassed ? "gates pass" : `blocked by ${failed.map((g) => g.label).join("; ")}`;
    await tx.notification.createMany({
      data: reviewers.map((userId) => ({
        userId,
        title: `Promotion to review: ${row.modelName} v${row.version}`,
        body: `To ${describeTarget(row)}: ${verdict}.`,
        link: `/approvals/${requestId}`,
      })),
    });
    return event.seq;
  });
  if (seq !== null && deps.config.NOTIFY_WEBHOOK_URL)
    await deps.producer.enqueue(
      "webhook.notify",
      { auditSeq: seq.toString() },
      { jobId: jobIds.notifyAudit(seq) },
    );
  log.info({ requestId, gatesPassed, failed: failed.map((g) => g.id) }, "gates evaluated");
}

// ---------------------------------------------------------------------------------------------
// mlflow.apply-promotion

const requestSelect = {
  id: true,
  registry: true,
  modelName: true,
  version: true,
  targetStage: true,
  targetAlias: true,
  status: true,
  applyStep: true,
  requestedById: true,
} satisfies Prisma.PromotionRequestSelect;
type RequestRow = Prisma.PromotionRequestGetPayload<{ select: typeof requestSelect }>;

/** Moves the request only if it is still in `from`, with its audit event in the same transaction. */
async function updateRequest(
  deps: Pick<WorkerDeps, "db">,
  requestId: string,
  from: PromotionStatus[],
  data: Prisma.PromotionRequestUpdateManyMutationInput,
  audit?: Omit<AuditEventInput, "actor" | "entityType" | "entityId">,
) {
  return deps.db.$transaction(async (tx) => {
    const { count } = await tx.promotionRequest.updateMany({
      where: { id: requestId, status: { in: from } },
      data: { ...data, revision: { increment: 1 } },
    });
    if (count && audit)
      await appendAuditEvent(tx, {
        actor: workerActor,
        entityType: "PromotionRequest",
        entityId: requestId,
        ...audit,
      });
    return count > 0;
  });
}

interface RegistryState {
  /** The version already carries the target stage or alias. */
  isApplied: boolean;
  /** The stage or alias holders before the change, for the audit record. */
  before: Record<string, unknown>;
  /** Where the version's artifacts are, as the registry knows it. */
  source?: string;
}

/** Reads the version's current stage or alias (404 for a missing version ends the request). */
export async function readRegistryState(
  deps: Pick<WorkerDeps, "clients">,
  target: PromotionTarget,
): Promise<RegistryState> {
  const { mlflow } = deps.clients;
  if (target.registry === "UNITY_CATALOG") {
    if (target.targetStage)
      throw new RangeError(
        "Unity Catalog models have no stages; promote them with an alias such as champion.",
      );
    const versionNum = Number(target.version);
    if (!Number.isInteger(versionNum))
      throw new RangeError(`Unity Catalog versions are whole numbers, not ${target.version}.`);
    const version = await mlflow.getUcModelVersion(target.modelName, versionNum);
    const holder = version.aliases.some((a) => a.aliasName === target.targetAlias)
      ? versionNum
      : (await mlflow.findUcModelVersionByAlias(target.modelName, target.targetAlias!))?.version;
    return {
      isApplied: holder === versionNum,
      before: { alias: target.targetAlias, version: holder === undefined ? null : String(holder) },
      source: version.storageLocation ?? version.source,
    };
  }
  const version = await mlflow.getModelVersion(target.modelName, target.version);
  if (target.targetStage) {
    const stage = normaliseStage(target.targetStage);
    const incumbents = (await mlflow.getLatestVersions(target.modelName, [stage]))
      .filter((v) => v.version !== target.version)
      .map((v) => v.version);
    return {
      isApplied: version.currentStage === stage,
      before: { stage: version.currentStage, incumbents },
      source: version.source,
    };
  }
  const holder = version.aliases.includes(target.targetAlias!)
    ? target.version
    : (await mlflow.findModelVersionByAlias(target.modelName, target.targetAlias!))?.version;
  return {
    isApplied: holder === target.version,
    before: { alias: target.targetAlias, version: holder ?? null },
    source: version.source,
  };
}

/** Stage transition with archive of the incumbents, or the alias move (setting an alias moves it). */
export async function applyToRegistry(deps: Pick<WorkerDeps, "clients">, target: PromotionTarget) {
  const { mlflow } = deps.clients;
  if (target.targetStage) {
    const stage = normaliseStage(target.targetStage);
    await mlflow.transitionStage(target.modelName, target.version, stage, {
      archiveExistingVersions: archivesIncumbents(stage),
    });
  } else if (target.registry === "UNITY_CATALOG") {
    await mlflow.setUcAlias(target.modelName, target.targetAlias!, Number(target.version));
  } else {
    await mlflow.setAlias(target.modelName, target.targetAlias!, target.version);
  }
}

/** Fault-test hook, as in training-runs (tests only, so read from the environment): `SWITCHBOARD_CHAOS_CRASH_AT=after-registry-change` kills the worker there. */
function crashPoint(step: string) {
  if (process.env.SWITCHBOARD_CHAOS_CRASH_AT?.split(",").includes(step)) process.kill(process.pid, "SIGKILL");
}

export async function applyPromotion(
  requestId: string,
  deps: WorkerDeps,
  log: Logger,
  job?: Pick<Job, "attemptsMade" | "opts">,
): Promise<void> {
  const request = await deps.db.promotionRequest.findUnique({
    where: { id: requestId },
    select: requestSelect,
  });
  if (!request) return;
  if (request.status === "APPLIED") return enqueuePendingDeployments(deps, requestId);
  if (request.status !== "APPROVED" && request.status !== "APPLYING") {
    log.info({ requestId, status: request.status }, "not approved; nothing to apply");
    return;
  }
  const target: PromotionTarget = request;
  const described = `${request.modelName} version ${request.version} → ${describeTarget(request)}`;
  if (request.status === "APPROVED") {
    await updateRequest(
      deps,
      requestId,
      ["APPROVED"],
      { status: "APPLYING", applyStep: "Reading the registry", applyError: null },
      { action: "promotion.apply-started", after: { target: describeTarget(request) } },
    );
  }

  let transition: { before: Record<string, unknown>; wasAlreadyApplied: boolean; source?: string };
  try {
    const state = await readRegistryState(deps, target);
    if (!state.isApplied) {
      await deps.db.promotionRequest.updateMany({
        where: { id: requestId, status: "APPLYING" },
        data: { applyStep: `Applying ${describeTarget(request)} in the registry` },
      });
      await applyToRegistry(deps, target);
      crashPoint("after-registry-change");
    }
    transition = { before: state.before, wasAlreadyApplied: state.isApplied, source: state.source };
  } catch (error) {
    if (isPermanent(error) || isLastAttempt(job)) {
      const message = `Could not apply ${described}: ${safeErrorMessage(error)}`;
      await updateRequest(
        deps,
        requestId,
        ["APPLYING"],
        { status: "FAILED", applyStep: "Registry change failed", applyError: message },
        { action: "promotion.apply-failed", after: { error: message } },
      );
      log.warn({ requestId, err: error }, "promotion failed");
      return;
    }
    throw error;
  }

  const after = request.targetStage
    ? { stage: describeTarget(request), version: request.version }
    : { alias: request.targetAlias, version: request.version };
  const needsRollout = isProductionTarget(target);
  if (needsRollout) {
    await deps.db.promotionRequest.updateMany({
      where: { id: requestId, status: "APPLYING" },
      data: { applyStep: `Registry updated; finding the KServe services that serve ${request.modelName}` },
    });
  }
  const rollout = needsRollout
    ? await planCanaries(deps, request, transition.source, log)
    : { services: [], note: undefined };

  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.promotionRequest.updateMany({
      where: { id: requestId, status: "APPLYING" },
      data: {
        status: "APPLIED",
        appliedAt: new Date(),
        applyStep: rollout.services.length
          ? `Applied; canary rollout started on ${rollout.services.map((s) => s.serviceName).join(", ")}`
          : (rollout.note ?? "Applied"),
        revision: { increment: 1 },
      },
    });
    if (!count) return;
    await appendAuditEvent(tx, {
      actor: workerActor,
      action: "promotion.transition-applied",
      entityType: "PromotionRequest",
      entityId: requestId,
      before: transition.before,
      after: { ...after, wasAlreadyApplied: transition.wasAlreadyApplied },
    });
    const existing = await tx.deployment.count({ where: { promotionRequestId: requestId } });
    if (existing) return;
    for (const service of rollout.services) {
      const deployment = await tx.deployment.create({
        data: {
          action: "CANARY",
          namespace: service.namespace,
          serviceName: service.serviceName,
          modelName: request.modelName,
          modelVersion: request.version,
          storageUri: service.storageUri,
          canaryPercent: rollout.canaryPercent,
          step: "Queued",
          promotionRequestId: requestId,
          requestedById: request.requestedById,
        },
        select: { id: true },
      });
      await appendAuditEvent(tx, {
        actor: workerActor,
        action: "deployment.canary-requested",
        entityType: "Deployment",
        entityId: deployment.id,
        after: {
          namespace: service.namespace,
          serviceName: service.serviceName,
          modelName: request.modelName,
          version: request.version,
          storageUri: service.storageUri,
          canaryPercent: rollout.canaryPercent,
          promotionRequestId: requestId,
        },
      });
    }
  });
  await enqueuePendingDeployments(deps, requestId);
  log.info({ requestId, canaries: rollout.services.length }, "promotion applied");
}

interface CanaryPlan {
  services: Array<{ namespace: string; serviceName: string; storageUri: string }>;
  canaryPercent?: number;
  note?: string;
}

/** The InferenceServices serving this model (see serving-map.ts) and what each should load. */
async function planCanaries(
  deps: WorkerDeps,
  request: RequestRow,
  registrySource: string | undefined,
  log: Logger,
): Promise<CanaryPlan> {
  const namespace = deps.config.KSERVE_NAMESPACE;
  let services: InferenceService[];
  try {
    services = await deps.clients.kserve.list({ namespace });
  } catch (error) {
    // The registry change stands; a rollout can be started by hand. Say so instead of hiding it.
    log.warn({ err: error, namespace }, "could not list InferenceServices");
    return {
      services: [],
      note: `Applied; could not list KServe services in ${namespace} to start a rollout: ${safeErrorMessage(error)}`,
    };
  }
  const policy = await policyInForce(deps.db, request.modelName, describeTarget(request), new Date());
  const canaryPercent = Math.min(
    canaryPercentRange.max,
    Math.max(canaryPercentRange.min, policy.canaryPercent),
  );
  const planned: CanaryPlan["services"] = [];
  const skipped: string[] = [];
  for (const service of services) {
    const served = servedModelOf(service, [request.modelName]);
    if (served?.modelName !== request.modelName) continue;
    try {
      const storageUri = storageUriForVersion({
        currentUri: service.spec.predictor.model?.storageUri,
        servedVersion: served.version,
        modelName: request.modelName,
        version: request.version,
        registrySource,
      });
      planned.push({ namespace: service.metadata.namespace, serviceName: service.metadata.name, storageUri });
    } catch (error) {
      skipped.push(`${service.metadata.name} (${safeErrorMessage(error)})`);
    }
  }
  if (!planned.length)
    return {
      services: [],
      note: skipped.length
        ? `Applied; no rollout: ${skipped.join("; ")}`
        : `Applied; no KServe service in ${namespace} serves ${request.modelName}, so there is nothing to roll out`,
    };
  return { services: planned, canaryPercent };
}

/** Job ids dedupe, so this is safe after a crash between the commit and the enqueue. */
async function enqueuePendingDeployments(deps: WorkerDeps, requestId: string) {
  const pending = await deps.db.deployment.findMany({
    where: { promotionRequestId: requestId, status: "PENDING" },
    select: { id: true },
  });
  for (const { id } of pending)
    await deps.producer.enqueue(
      "kserve.apply-deployment",
      { deploymentId: id },
      { jobId: jobIds.applyDeployment(id) },
    );
}

export const promotionHandlers: Pick<HandlerRegistry<WorkerDeps>, PromotionJobs> = {
  "mlflow.evaluate-gates": ({ requestId }, { deps, log, job }) =>
    evaluateRequestGates(requestId, deps, log, job),
  "mlflow.apply-promotion": ({ requestId }, { deps, log, job }) => applyPromotion(requestId, deps, log, job),
};
