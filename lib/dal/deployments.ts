import "server-only";
import { can } from "@/lib/auth/permissions";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getCloudClients } from "@/lib/cloud";
import { throwCloudError } from "@/lib/cloud-errors";
import type { KServeClient } from "@/lib/clients/kserve";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb, type Prisma, type PrismaClient } from "@/lib/db/client";
import { deploymentSelect, type DeploymentRow } from "@/lib/db/deployments";
import { AppError } from "@/lib/errors";
import type { JobProducer } from "@/lib/queue/producer";
import { getJobProducer } from "@/lib/queue/web-producer";
import { jobIds } from "@/lib/queue/job-ids";
import { type RollbackInput } from "@/lib/validation/deployments";

/**
 * KServe rollouts: the rows the worker follows (workers/handlers/promotions.ts), read as DTOs for
 * the request page and the monitoring page, and the two changes people ask for: take a canary to
 * 100% (`deployments:promote`) and roll a service back (`deployments:rollback`). Each request is a
 * row, an audit event and a job; the worker does the rest.
 */

function toDto(row: DeploymentRow) {
  return {
    id: row.id,
    action: row.action,
    status: row.status,
    namespace: row.namespace,
    serviceName: row.serviceName,
    /** The version rolled out (CANARY, PROMOTE), or for a settled rollback the version serving again (null if unknown). */
    modelName: row.modelName,
    modelVersion: row.modelVersion,
    storageUri: row.storageUri,
    canaryPercent: row.canaryPercent,
    step: row.step,
    /** The canary, the promoted revision, or the revision rolled back to. */
    revisionName: row.revisionName,
    /** The revision that served before this change. */
    previousRevision: row.previousRevision,
    /** After a rollback: IN_SYNC, UPDATED or DIVERGED (registry and serving disagree), with what happened. */
    registryStatus: row.registryStatus as "IN_SYNC" | "UPDATED" | "DIVERGED" | null,
    registryNote: row.registryNote,
    error: row.error,
    promotionRequestId: row.promotionRequestId,
    requestedByName: row.requestedBy.name,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    isActive: row.status === "PENDING" || row.status === "IN_PROGRESS",
  };
}
export type DeploymentDto = ReturnType<typeof toDto>;

export interface RolloutView {
  deployments: DeploymentDto[];
  /** The canary that may be taken to 100% now, if any (latest change on its service, settled). */
  promotableId: string | null;
  canPromote: boolean;
  canRollback: boolean;
}

export interface DeploymentsDeps {
  db: PrismaClient;
  producer: () => JobProducer;
  kserve: () => Pick<KServeClient, "get">;
}

const activeStatuses = ["PENDING", "IN_PROGRESS"] as const;

/** Changes to one service are serialised: the check-then-create below must not interleave. */
const lockService = (tx: Prisma.TransactionClient, namespace: string, serviceName: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`deployment:${namespace}/${serviceName}`}))`;

export function createDeploymentsStore(deps: DeploymentsDeps) {
  const { db } = deps;

  /** The settled canary that is still the latest change on its service. */
  async function promotableCanaryOf(
    ids: {
      id: string;
      serviceName: string;
      namespace: string;
      action: string;
      status: string;
      createdAt: Date;
    }[],
  ) {
    for (const canary of ids.filter((d) => d.action === "CANARY" && d.status === "SUCCEEDED")) {
      const newer = await db.deployment.count({
        where: {
          namespace: canary.namespace,
          serviceName: canary.serviceName,
          createdAt: { gt: canary.createdAt },
        },
      });
      if (!newer) return canary.id;
    }
    return null;
  }

  async function enqueue(deploymentId: string, requestId?: string) {
    try {
      await deps
        .producer()
        .enqueue(
          "kserve.apply-deployment",
          { deploymentId },
          { jobId: jobIds.applyDeployment(deploymentId), requestId },
        );
    } catch {
      throw new AppError(
        "UNAVAILABLE",
        "The change is recorded but the worker queue is unreachable; it will not start until the queue is back. Try again in a minute.",
      );
    }
  }

  return {
    /** Every KServe change a promotion request started, oldest first, with what the viewer may do next. */
    async listForRequest(user: CurrentUser, promotionRequestId: string): Promise<RolloutView> {
      assertCan(user, "promotions:read");
      const rows = await db.deployment.findMany({
        where: { promotionRequestId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: deploymentSelect,
      });
      const promotableId = await promotableCanaryOf(rows);
      return {
        deployments: rows.map(toDto),
        promotableId,
        canPromote: can(user, "deployments:promote"),
        canRollback: can(user, "deployments:rollback"),
      };
    },

    /** The latest changes to one service (the monitoring page's history). */
    async listForService(
      user: CurrentUser,
      namespace: string,
      serviceName: string,
      limit = 20,
    ): Promise<DeploymentDto[]> {
      assertCan(user, "models:read");
      const rows = await db.deployment.findMany({
        where: { namespace, serviceName },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: Math.min(limit, 100),
        select: deploymentSelect,
      });
      return rows.map(toDto);
    },

    /** The latest changes that rolled out versions of one registered model. */
    async listForModel(user: CurrentUser, modelName: string, limit = 20): Promise<DeploymentDto[]> {
      assertCan(user, "models:read");
      const rows = await db.deployment.findMany({
        where: { modelName },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: Math.min(limit, 100),
        select: deploymentSelect,
      });
      return rows.map(toDto);
    },

    /** Takes a settled canary to 100% of traffic. Refused once anything newer touched the service. */
    async promoteDeployment(
      user: CurrentUser,
      deploymentId: string,
      requestId?: string,
    ): Promise<DeploymentDto> {
      assertCan(user, "deployments:promote");
      const created = await db.$transaction(async (tx) => {
        const canary = await tx.deployment.findUnique({
          where: { id: deploymentId },
          select: {
            id: true,
            action: true,
            status: true,
            namespace: true,
            serviceName: true,
            modelName: true,
            modelVersion: true,
            storageUri: true,
            promotionRequestId: true,
            createdAt: true,
          },
        });
        if (!canary) throw new AppError("NOT_FOUND", "No such deployment.");
        if (canary.action !== "CANARY")
          throw new AppError("CONFLICT", "Only a canary can be promoted to 100%.");
        if (canary.status !== "SUCCEEDED")
          throw new AppError(
            "CONFLICT",
            canary.status === "FAILED"
              ? "This canary failed; it cannot be promoted."
              : "This canary is still rolling out; promote it once it takes its share of traffic.",
          );
        await lockService(tx, canary.namespace, canary.serviceName);
        const newer = await tx.deployment.findFirst({
          where: {
            namespace: canary.namespace,
            serviceName: canary.serviceName,
            createdAt: { gt: canary.createdAt },
          },
          select: { action: true, status: true },
        });
        if (newer)
          throw new AppError(
            "CONFLICT",
            `${canary.serviceName} has changed since this canary (a later ${newer.action.toLowerCase()} is ${newer.status.toLowerCase().replace("_", " ")}).`,
          );
        const row = await tx.deployment.create({
          data: {
            action: "PROMOTE",
            namespace: canary.namespace,
            serviceName: canary.serviceName,
            modelName: canary.modelName,
            modelVersion: canary.modelVersion,
            storageUri: canary.storageUri,
            step: "Queued",
            promotionRequestId: canary.promotionRequestId,
            requestedById: user.id,
          },
          select: deploymentSelect,
        });
        await appendAuditEvent(tx, {
          actor: { oid: user.oid, name: user.name },
          action: "deployment.promote-requested",
          entityType: "Deployment",
          entityId: row.id,
          after: {
            canaryDeploymentId: canary.id,
            namespace: canary.namespace,
            serviceName: canary.serviceName,
            modelName: canary.modelName,
            version: canary.modelVersion,
          },
        });
        return row;
      });
      await enqueue(created.id, requestId);
      return toDto(created);
    },

    /** One click on a diverged rollback: the worker tries again to move the registry back to the version serving. */
    async reconcileRegistry(
      user: CurrentUser,
      deploymentId: string,
      requestId?: string,
    ): Promise<DeploymentDto> {
      assertCan(user, "deployments:rollback");
      const row = await db.deployment.findUnique({ where: { id: deploymentId }, select: deploymentSelect });
      if (!row) throw new AppError("NOT_FOUND", "No such deployment.");
      if (row.action !== "ROLLBACK" || row.registryStatus !== "DIVERGED")
        throw new AppError(
          "CONFLICT",
          "Only a rollback whose registry diverged from what serves can be reconciled.",
        );
      await db.$transaction((tx) =>
        appendAuditEvent(tx, {
          actor: { oid: user.oid, name: user.name },
          action: "deployment.registry-reconcile-requested",
          entityType: "Deployment",
          entityId: deploymentId,
          after: { registryNote: row.registryNote },
        }),
      );
      try {
        await deps
          .producer()
          .enqueue(
            "mlflow.restore-registry",
            { deploymentId },
            { jobId: jobIds.restoreRegistry(deploymentId, Date.now()), requestId },
          );
      } catch {
        throw new AppError("UNAVAILABLE", "The worker queue is unreachable; try again in a minute.");
      }
      return toDto(row);
    },
    /**
     * Sends all of a service's traffic back to the previously rolled-out revision. Allowed at any
     * time, including mid-canary: a change still in flight on that service is ended as superseded.
     */
    async rollbackDeployment(
      user: CurrentUser,
      input: RollbackInput,
      requestId?: string,
    ): Promise<DeploymentDto> {
      assertCan(user, "deployments:rollback");
      try {
        await deps.kserve().get(input.serviceName, input.namespace);
      } catch (error) {
        throwCloudError(error, `the InferenceService ${input.serviceName}`, {
          notFound: () =>
            new AppError(
              "NOT_FOUND",
              `There is no InferenceService ${input.serviceName} in namespace ${input.namespace}.`,
            ),
        });
      }
      const created = await db.$transaction(async (tx) => {
        await lockService(tx, input.namespace, input.serviceName);
        const inFlight = await tx.deployment.findMany({
          where: {
            namespace: input.namespace,
            serviceName: input.serviceName,
            status: { in: [...activeStatuses] },
          },
          select: { id: true, action: true },
        });
        if (inFlight.some((d) => d.action === "ROLLBACK"))
          throw new AppError("CONFLICT", `A rollback of ${input.serviceName} is already in progress.`);
        const latest = await tx.deployment.findFirst({
          where: { namespace: input.namespace, serviceName: input.serviceName },
          orderBy: { createdAt: "desc" },
          select: { promotionRequestId: true },
        });
        const row = await tx.deployment.create({
          data: {
            action: "ROLLBACK",
            namespace: input.namespace,
            serviceName: input.serviceName,
            step: "Queued",
            promotionRequestId: latest?.promotionRequestId ?? null,
            requestedById: user.id,
          },
          select: deploymentSelect,
        });
        for (const superseded of inFlight) {
          await tx.deployment.update({
            where: { id: superseded.id },
            data: {
              status: "FAILED",
              step: "Superseded by a rollback",
              error: `Rolled back by ${user.name}: ${input.reason}`,
              finishedAt: new Date(),
            },
          });
        }
        await appendAuditEvent(tx, {
          actor: { oid: user.oid, name: user.name },
          action: "deployment.rollback-requested",
          entityType: "Deployment",
          entityId: row.id,
          after: {
            namespace: input.namespace,
            serviceName: input.serviceName,
            reason: input.reason,
            supersededDeploymentIds: inFlight.map((d) => d.id),
          },
        });
        return row;
      });
      await enqueue(created.id, requestId);
      return toDto(created);
    },
  };
}

export type DeploymentsStore = ReturnType<typeof createDeploymentsStore>;

let store: DeploymentsStore | undefined;
const getStore = () =>
  (store ??= createDeploymentsStore({
    db: getDb(),
    producer: getJobProducer,
    kserve: () => getCloudClients().kserve,
  }));

export const listDeploymentsForRequest = (user: CurrentUser, promotionRequestId: string) =>
  getStore().listForRequest(user, promotionRequestId);
export const listDeploymentsForService = (
  user: CurrentUser,
  namespace: string,
  serviceName: string,
  limit?: number,
) => getStore().listForService(user, namespace, serviceName, limit);
export const listDeploymentsForModel = (user: CurrentUser, modelName: string, limit?: number) =>
  getStore().listForModel(user, modelName, limit);
export const promoteDeployment = (user: CurrentUser, deploymentId: string, requestId?: string) =>
  getStore().promoteDeployment(user, deploymentId, requestId);
export const rollbackDeployment = (user: CurrentUser, input: RollbackInput, requestId?: string) =>
  getStore().rollbackDeployment(user, input, requestId);
export const reconcileRegistry = (user: CurrentUser, deploymentId: string, requestId?: string) =>
  getStore().reconcileRegistry(user, deploymentId, requestId);
