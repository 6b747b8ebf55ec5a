import type { Logger } from "pino";
import { summariseService } from "@/lib/clients/kserve";
import { CloudApiError } from "@/lib/clients/http";
import { appendAuditEvent } from "@/lib/db/audit";
import { usersWhoCan } from "@/lib/db/users";
import { registryOf } from "@/lib/domain/promotion/evidence";
import { productionAlias } from "@/lib/domain/rollout/promotion-target";
import { servedModelOf } from "@/lib/domain/rollout/serving-map";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { workerActor } from "./promotions";

/**
 * Compares, every minute, what each Switchboard-managed KServe service serves (servedModelOf, the
 * same reading every page uses) with the version holding the registry's production target (stage
 * Production, or @champion on Unity Catalog). A difference opens a ServingMismatch and tells on-call
 * and admins "registry and serving disagree" in their inbox (audited); agreement closes it. Services
 * mid-rollout are left alone: they disagree on purpose until the rollout settles.
 */
export async function reconcileServing(
  deps: Pick<WorkerDeps, "db" | "clients" | "config">,
  log: Logger,
  now = new Date(),
) {
  const services = await deps.clients.kserve.list({ namespace: deps.config.KSERVE_NAMESPACE });
  const active = await deps.db.deployment.findMany({
    where: { status: { in: ["PENDING", "IN_PROGRESS"] } },
    select: { namespace: true, serviceName: true },
  });
  const busy = new Set(active.map((d) => `${d.namespace}/${d.serviceName}`));
  let opened = 0;
  let resolved = 0;
  for (const service of services) {
    const { namespace, name } = service.metadata;
    const served = servedModelOf(service);
    const canary = summariseService(service).canaryTrafficPercent;
    const isMidRollout =
      busy.has(`${namespace}/${name}`) || (canary !== undefined && canary !== null && canary > 0);
    // Only services Switchboard manages (annotated) are judged; a guessed model name is not evidence.
    if (!served || served.source !== "annotation" || !served.version || isMidRollout) continue;
    const target = registryOf(served.modelName) === "UNITY_CATALOG" ? `@${productionAlias}` : "Production";
    let registryVersion: string | null;
    try {
      registryVersion = await productionHolder(deps, served.modelName);
    } catch (error) {
      log.warn({ err: error, service: name }, "could not read the registry to compare with serving");
      continue;
    }
    const open = await deps.db.servingMismatch.findFirst({
      where: { namespace, serviceName: name, resolvedAt: null },
      select: { id: true, servedVersion: true, registryVersion: true },
    });
    const agrees = registryVersion === served.version;
    if (agrees && open) {
      await deps.db.$transaction(async (tx) => {
        await tx.servingMismatch.update({ where: { id: open.id }, data: { resolvedAt: now } });
        await appendAuditEvent(tx, {
          actor: workerActor,
          action: "serving.mismatch-resolved",
          entityType: "InferenceService",
          entityId: `${namespace}/${name}`,
          after: { modelName: served.modelName, target, version: served.version },
        });
      });
      resolved += 1;
    } else if (!agrees && !open) {
      const summary = `${name} serves ${served.modelName} v${served.version}; the registry's ${target} is ${registryVersion ? `v${registryVersion}` : "empty"}`;
      await deps.db.$transaction(async (tx) => {
        await tx.servingMismatch.create({
          data: {
            namespace,
            serviceName: name,
            modelName: served.modelName,
            target,
            servedVersion: served.version!,
            registryVersion,
            detectedAt: now,
          },
        });
        await appendAuditEvent(tx, {
          actor: workerActor,
          action: "serving.mismatch-detected",
          entityType: "InferenceService",
          entityId: `${namespace}/${name}`,
          after: { modelName: served.modelName, target, servedVersion: served.version, registryVersion },
        });
        // Told: the people who run the fleet's paging (on-call and admins), who roll back or re-point it.
        const people = await usersWhoCan(tx, "alerts:configure");
        await tx.notification.createMany({
          data: people.map((userId) => ({
            userId,
            title: `Registry and serving disagree: ${name}`,
            body: `${summary}.`,
            link: `/monitoring/${namespace}/${name}`,
          })),
        });
      });
      opened += 1;
    } else if (
      !agrees &&
      open &&
      (open.servedVersion !== served.version || open.registryVersion !== registryVersion)
    ) {
      await deps.db.servingMismatch.update({
        where: { id: open.id },
        data: { servedVersion: served.version, registryVersion },
      });
    }
  }
  if (opened || resolved) log.warn({ opened, resolved }, "registry and serving agreement changed");
  return { opened, resolved };
}

/** The version holding the production target, or null when it is empty (a missing alias holds nothing). */
async function productionHolder(
  deps: Pick<WorkerDeps, "clients">,
  modelName: string,
): Promise<string | null> {
  const { mlflow } = deps.clients;
  try {
    if (registryOf(modelName) === "UNITY_CATALOG")
      return String((await mlflow.getUcModelVersionByAlias(modelName, productionAlias)).version);
    return (await mlflow.getLatestVersions(modelName, ["Production"]))[0]?.version ?? null;
  } catch (error) {
    if (error instanceof CloudApiError && error.isNotFound) return null;
    throw error;
  }
}

export const reconcileServingHandlers: Pick<HandlerRegistry<WorkerDeps>, "maintenance.reconcile-serving"> = {
  "maintenance.reconcile-serving": async (_payload, { deps, log }) => {
    await reconcileServing(deps, log);
  },
};
