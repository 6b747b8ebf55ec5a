import type { Logger } from "pino";
import { summariseService } from "@/lib/clients/kserve";
import { CloudApiError } from "@/lib/clients/http";
import { appendAuditEvent } from "@/lib/db/audit";
import { registryOf } from "@/lib/domain/promotion/evidence";
import { productionAlias } from "@/lib/domain/rollout/promotion-target";
import { servedModelOf } from "@/lib/domain/rollout/serving-map";
import type { Prisma } from "@/lib/db/client";
import { jobIds } from "@/lib/queue/job-ids";
import type { HandlerRegistry } from "../manager";
import type { WorkerDeps } from "../registry";
import { applyToRegistry, workerActor } from "./promotions";

/**
 * Compares, every minute, what each Switchboard-managed KServe service serves (servedModelOf, the
 * same reading every page uses) with the version holding the registry's production target (stage
 * Production, or @champion on Unity Catalog). A difference opens a ServingMismatch and a FIRING
 * REGISTRY_MISMATCH alert on the service (audited): it is on the Alerts page, can be acknowledged, and
 * goes to the inbox and the webhook through webhook.notify-alert like every alert. Agreement closes
 * both and announces the resolution. Services mid-rollout are left alone: they disagree on purpose
 * until the rollout settles.
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
  const notificationIds: string[] = [];
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
    const finding = findingOf(open, registryVersion, served.version);
    if (!finding) continue;
    const mismatch = {
      namespace,
      name,
      modelName: served.modelName,
      target,
      servedVersion: served.version,
      registryVersion,
      now,
    };
    notificationIds.push(...(await deps.db.$transaction((tx) => recordFinding(tx, finding, mismatch))));
    if (finding.kind === "opened") opened += 1;
    if (finding.kind === "resolved") resolved += 1;
  }
  if (opened || resolved) log.warn({ opened, resolved }, "registry and serving agreement changed");
  return { opened, resolved, notificationIds };
}

type OpenMismatch = { id: string; servedVersion: string; registryVersion: string | null };
type Finding =
  | { kind: "opened" }
  | { kind: "resolved"; mismatchId: string }
  | { kind: "changed"; mismatchId: string }
  | { kind: "unalerted" };

/**
 * What one pass found for a service: a new mismatch, one that ended, one whose versions changed, or
 * one open without an alert (found before it was an alert, or its alert deleted). Null: nothing to record.
 */
function findingOf(
  open: OpenMismatch | null,
  registryVersion: string | null,
  servedVersion: string,
): Finding | null {
  if (registryVersion === servedVersion) return open ? { kind: "resolved", mismatchId: open.id } : null;
  if (!open) return { kind: "opened" };
  if (open.servedVersion !== servedVersion || open.registryVersion !== registryVersion)
    return { kind: "changed", mismatchId: open.id };
  return { kind: "unalerted" };
}

interface Mismatch {
  namespace: string;
  name: string;
  modelName: string;
  target: string;
  servedVersion: string;
  registryVersion: string | null;
  now: Date;
}

/**
 * Records a finding in the caller's transaction: the ServingMismatch row, the audit event for an
 * opening or a resolution, and the alert. Returns the notification ids to deliver.
 */
async function recordFinding(
  tx: Prisma.TransactionClient,
  finding: Finding,
  mismatch: Mismatch,
): Promise<string[]> {
  const { namespace, name, modelName, target, servedVersion, registryVersion, now } = mismatch;
  const audit = (action: string, after: Record<string, unknown>) =>
    appendAuditEvent(tx, {
      actor: workerActor,
      action,
      entityType: "InferenceService",
      entityId: `${namespace}/${name}`,
      after: { modelName, target, ...after },
    });
  const alert = () =>
    raiseMismatchAlert(tx, {
      namespace,
      name,
      summary: `${name} serves ${modelName} v${servedVersion}; the registry's ${target} is ${registryVersion ? `v${registryVersion}` : "empty"}`,
      servedVersion,
      now,
    });
  switch (finding.kind) {
    case "resolved": {
      await tx.servingMismatch.update({ where: { id: finding.mismatchId }, data: { resolvedAt: now } });
      const ids = await resolveMismatchAlert(tx, namespace, name, now);
      await audit("serving.mismatch-resolved", { version: servedVersion });
      return ids;
    }
    case "opened":
      await tx.servingMismatch.create({
        data: {
          namespace,
          serviceName: name,
          modelName,
          target,
          servedVersion,
          registryVersion,
          detectedAt: now,
        },
      });
      await audit("serving.mismatch-detected", { servedVersion, registryVersion });
      return alert();
    case "changed":
      await tx.servingMismatch.update({
        where: { id: finding.mismatchId },
        data: { servedVersion, registryVersion },
      });
      return alert();
    case "unalerted":
      return alert();
  }
}

/** The reconciler's rule on a service: it only carries the alerts (no threshold; not among the rules people set). */
async function mismatchRuleId(tx: Prisma.TransactionClient, namespace: string, serviceName: string) {
  const rule = await tx.alertRule.upsert({
    where: { namespace_serviceName_kind: { namespace, serviceName, kind: "REGISTRY_MISMATCH" } },
    create: { namespace, serviceName, kind: "REGISTRY_MISMATCH", threshold: 0, forMinutes: 0 },
    update: {},
    select: { id: true },
  });
  return rule.id;
}

/**
 * Opens a FIRING alert with its FIRING notification unless one is open, else keeps the open one's
 * summary current. Returns the notification ids to deliver.
 */
async function raiseMismatchAlert(
  tx: Prisma.TransactionClient,
  input: { namespace: string; name: string; summary: string; servedVersion: string; now: Date },
): Promise<string[]> {
  const ruleId = await mismatchRuleId(tx, input.namespace, input.name);
  const open = await tx.alert.findFirst({
    where: { ruleId, state: { in: ["PENDING", "FIRING", "ACKNOWLEDGED"] } },
    select: { id: true },
  });
  if (open) {
    await tx.alert.update({
      where: { id: open.id },
      data: { summary: input.summary, modelVersion: input.servedVersion },
    });
    return [];
  }
  const alert = await tx.alert.create({
    data: {
      ruleId,
      state: "FIRING",
      summary: input.summary,
      modelVersion: input.servedVersion,
      pendingSince: input.now,
      firedAt: input.now,
    },
    select: { id: true },
  });
  const notification = await tx.alertNotification.create({
    data: { alertId: alert.id, event: "FIRING" },
    select: { id: true },
  });
  return [notification.id];
}

/** Resolves the service's open mismatch alert and announces the resolution (the firing was announced). */
async function resolveMismatchAlert(
  tx: Prisma.TransactionClient,
  namespace: string,
  serviceName: string,
  now: Date,
): Promise<string[]> {
  const open = await tx.alert.findMany({
    where: {
      rule: { namespace, serviceName, kind: "REGISTRY_MISMATCH" },
      state: { in: ["PENDING", "FIRING", "ACKNOWLEDGED"] },
    },
    select: { id: true },
  });
  const ids: string[] = [];
  for (const alert of open) {
    await tx.alert.update({ where: { id: alert.id }, data: { state: "RESOLVED", resolvedAt: now } });
    const resolved = await tx.alertNotification.upsert({
      where: { alertId_event: { alertId: alert.id, event: "RESOLVED" } },
      create: { alertId: alert.id, event: "RESOLVED" },
      update: {},
      select: { id: true },
    });
    ids.push(resolved.id);
  }
  return ids;
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

/**
 * The one-click reconcile of an open mismatch alert: the registry's production target moves to the
 * version the service serves now (read again here, not taken from the alert), audited with the
 * holder before; then a reconcile pass resolves the alert. Serving is not touched: it is what runs.
 * A service that no longer says which version it serves, or is mid-rollout, is left as it is.
 */
export async function alignRegistry(
  alertId: string,
  deps: Pick<WorkerDeps, "db" | "clients" | "config">,
  log: Logger,
): Promise<{ aligned: boolean; notificationIds: string[] }> {
  const alert = await deps.db.alert.findUnique({
    where: { id: alertId },
    select: { state: true, rule: { select: { kind: true, namespace: true, serviceName: true } } },
  });
  if (!alert || alert.rule.kind !== "REGISTRY_MISMATCH" || alert.state === "RESOLVED")
    return { aligned: false, notificationIds: [] };
  const { namespace, serviceName } = alert.rule;
  const service = await deps.clients.kserve.get(serviceName, namespace);
  const served = servedModelOf(service);
  if (!served || served.source !== "annotation" || !served.version) {
    log.warn(
      { alertId, serviceName },
      "the service does not say which version it serves; registry left as it is",
    );
    return { aligned: false, notificationIds: [] };
  }
  const registry = registryOf(served.modelName);
  const target = {
    registry,
    modelName: served.modelName,
    version: served.version,
    ...(registry === "UNITY_CATALOG"
      ? { targetStage: null, targetAlias: productionAlias }
      : { targetStage: "Production", targetAlias: null }),
  };
  const before = await productionHolder(deps, served.modelName);
  if (before !== served.version) {
    await applyToRegistry(deps, target);
    await deps.db.$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: workerActor,
        action: "serving.registry-aligned",
        entityType: "InferenceService",
        entityId: `${namespace}/${serviceName}`,
        before: { modelName: served.modelName, version: before },
        after: { modelName: served.modelName, version: served.version, alertId },
      }),
    );
    log.info({ alertId, serviceName, from: before, to: served.version }, "registry moved to what serves");
  }
  const { notificationIds } = await reconcileServing(deps, log);
  return { aligned: true, notificationIds };
}

async function enqueueNotifications(deps: Pick<WorkerDeps, "producer">, ids: string[]) {
  for (const id of ids)
    await deps.producer.enqueue(
      "webhook.notify-alert",
      { notificationId: id },
      { jobId: jobIds.notifyAlert(id) },
    );
}

export const reconcileServingHandlers: Pick<
  HandlerRegistry<WorkerDeps>,
  "maintenance.reconcile-serving" | "mlflow.align-registry"
> = {
  "maintenance.reconcile-serving": async (_payload, { deps, log }) => {
    const { notificationIds } = await reconcileServing(deps, log);
    await enqueueNotifications(deps, notificationIds);
  },
  "mlflow.align-registry": async ({ alertId }, { deps, log }) => {
    const { notificationIds } = await alignRegistry(alertId, deps, log);
    await enqueueNotifications(deps, notificationIds);
  },
};
