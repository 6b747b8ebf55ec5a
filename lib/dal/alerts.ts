import "server-only";
import type { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getCloudClients } from "@/lib/cloud";
import { isCloudNotFound } from "@/lib/cloud-errors";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb, type Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import {
  alertKinds,
  isRuleKind,
  ruleKinds,
  type RuleKind,
  canAcknowledge,
  describeRule,
  type AlertKind,
  type AlertStateName,
} from "@/lib/domain/alerts/state-machine";
import {
  acknowledgeInput,
  alertListQuery,
  ruleIdParams,
  ruleInput,
  silenceIdParams,
  silenceInput,
  type AlertListQuery,
  type RuleInput,
} from "@/lib/validation/alerts";
import { logger } from "@/lib/logger";
import { jobIds } from "@/lib/queue/job-ids";
import { getJobProducer } from "@/lib/queue/web-producer";
import { serviceHref } from "@/lib/navigation";
import { getFleetSnapshot } from "@/lib/services/monitoring/fleet-snapshot";
import { summariseService } from "@/lib/clients/kserve";
import {
  llmAlertKinds,
  llmRuntimeOf,
  unsupportedAlertKind,
  type LlmRuntime,
} from "@/lib/domain/monitoring/llm-serving";

/**
 * Alerts as people see and handle them: the list with links to what is affected, the header
 * count, acknowledgement with a note and silence windows (OnCall), and rule changes
 * (alerts:configure). Every change is one transaction with its audit event.
 */

const alertSelect = {
  id: true,
  state: true,
  revisionName: true,
  modelVersion: true,
  value: true,
  summary: true,
  pendingSince: true,
  firedAt: true,
  acknowledgedAt: true,
  ackNote: true,
  resolvedAt: true,
  acknowledgedBy: { select: { name: true } },
  rule: { select: { namespace: true, serviceName: true, kind: true, threshold: true, forMinutes: true } },
} satisfies Prisma.AlertSelect;

type AlertRow = Prisma.AlertGetPayload<{ select: typeof alertSelect }>;

export interface AlertDto {
  id: string;
  state: AlertStateName;
  kind: AlertRow["rule"]["kind"];
  summary: string;
  value: number | null;
  rule: { threshold: number; forMinutes: number; description: string };
  namespace: string;
  serviceName: string;
  revisionName: string | null;
  modelName: string | null;
  modelVersion: string | null;
  /** The promotion request that approved the version, when Switchboard rolled it out. */
  approvalId: string | null;
  pendingSince: string;
  firedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  ackNote: string | null;
  resolvedAt: string | null;
  links: { service: string; model: string | null; approval: string | null };
  canAcknowledge: boolean;
  /** An open "registry and serving disagree" alert the person may settle by moving the registry to what serves. */
  canReconcile: boolean;
}

/** The registered model and approval behind each alert's version: recorded rollouts first, else what KServe serves now. */
async function provenanceOf(rows: AlertRow[]) {
  const services = [
    ...new Map(
      rows.map((r) => [
        `${r.rule.namespace}/${r.rule.serviceName}`,
        { namespace: r.rule.namespace, serviceName: r.rule.serviceName },
      ]),
    ).values(),
  ];
  const deployments = services.length
    ? await getDb().deployment.findMany({
        where: { OR: services, modelName: { not: null } },
        orderBy: { createdAt: "desc" },
        take: 500,
        select: {
          namespace: true,
          serviceName: true,
          modelName: true,
          modelVersion: true,
          revisionName: true,
          promotionRequestId: true,
        },
      })
    : [];
  const snapshot = await getFleetSnapshot().catch(() => undefined);
  return (row: AlertRow) => {
    const mine = deployments.filter(
      (d) => d.namespace === row.rule.namespace && d.serviceName === row.rule.serviceName,
    );
    const match = mine.find(
      (d) =>
        (row.revisionName && d.revisionName === row.revisionName) ||
        (row.modelVersion && d.modelVersion === row.modelVersion),
    );
    const served = snapshot?.services.find(
      (s) => s.namespace === row.rule.namespace && s.name === row.rule.serviceName,
    )?.model;
    return {
      modelName: match?.modelName ?? mine[0]?.modelName ?? served?.name ?? null,
      approvalId: match?.promotionRequestId ?? null,
    };
  };
}

function toDto(
  row: AlertRow,
  provenance: { modelName: string | null; approvalId: string | null },
  user: CurrentUser,
): AlertDto {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: row.id,
    state: row.state,
    kind: row.rule.kind,
    summary: row.summary,
    value: row.value,
    rule: {
      threshold: row.rule.threshold,
      forMinutes: row.rule.forMinutes,
      description: describeRule(row.rule),
    },
    namespace: row.rule.namespace,
    serviceName: row.rule.serviceName,
    revisionName: row.revisionName,
    modelName: provenance.modelName,
    modelVersion: row.modelVersion,
    approvalId: provenance.approvalId,
    pendingSince: row.pendingSince.toISOString(),
    firedAt: iso(row.firedAt),
    acknowledgedAt: iso(row.acknowledgedAt),
    acknowledgedByName: row.acknowledgedBy?.name ?? null,
    ackNote: row.ackNote,
    resolvedAt: iso(row.resolvedAt),
    links: {
      service: serviceHref(row.rule.namespace, row.rule.serviceName),
      model: provenance.modelName ? `/models/${encodeURIComponent(provenance.modelName)}` : null,
      approval: provenance.approvalId ? `/approvals/${provenance.approvalId}` : null,
    },
    canAcknowledge: canAcknowledge(row.state) && can(user, "alerts:acknowledge"),
    canReconcile:
      row.rule.kind === "REGISTRY_MISMATCH" && row.state !== "RESOLVED" && can(user, reconcilePermission),
  };
}

/** Moving the registry to what serves is what a rollback does, so whoever may roll back may reconcile. */
const reconcilePermission = "deployments:rollback" as const;

/**
 * One click on an open "registry and serving disagree" alert: the worker moves the registry's
 * production target to the version KServe serves (mlflow.align-registry), then the reconciler
 * resolves the alert. Audited here as requested; the worker audits what it changed.
 */
export async function reconcileMismatchAlert(
  user: CurrentUser,
  alertId: string,
  requestId?: string,
): Promise<{ alertId: string; queued: true }> {
  assertCan(user, reconcilePermission);
  const db = getDb();
  const alert = await db.alert.findUnique({
    where: { id: alertId },
    select: {
      state: true,
      summary: true,
      rule: { select: { kind: true, namespace: true, serviceName: true } },
    },
  });
  if (!alert) throw new AppError("NOT_FOUND", "No such alert.");
  if (alert.rule.kind !== "REGISTRY_MISMATCH")
    throw new AppError("CONFLICT", "Only a “registry and serving disagree” alert can be reconciled.");
  if (alert.state === "RESOLVED")
    throw new AppError("CONFLICT", "Registry and serving agree again; there is nothing to reconcile.");
  await db.$transaction((tx) =>
    appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "serving.registry-align-requested",
      entityType: "InferenceService",
      entityId: `${alert.rule.namespace}/${alert.rule.serviceName}`,
      after: { alertId, summary: alert.summary },
    }),
  );
  try {
    const requestedAt = Date.now();
    await getJobProducer().enqueue(
      "mlflow.align-registry",
      { alertId },
      { jobId: jobIds.alignRegistry(alertId, requestedAt), requestId },
    );
  } catch (error) {
    throw new AppError("UNAVAILABLE", "The worker queue is unreachable; try again in a minute.", {
      cause: error,
      retryable: true,
    });
  }
  return { alertId, queued: true };
}

export async function listAlerts(user: CurrentUser, query: AlertListQuery = {}): Promise<AlertDto[]> {
  assertCan(user, "monitoring:read");
  const filters = alertListQuery.parse(query);
  const where: Prisma.AlertWhereInput = {
    state:
      filters.state === "all"
        ? undefined
        : filters.state === "open"
          ? { in: ["PENDING", "FIRING", "ACKNOWLEDGED"] }
          : filters.state,
    rule: { namespace: filters.namespace, serviceName: filters.service },
  };
  // Firing first, then the newest: what needs a person comes to the top.
  const rows = await getDb().alert.findMany({
    where,
    orderBy: [{ pendingSince: "desc" }],
    take: filters.limit,
    select: alertSelect,
  });
  const rank: Record<AlertStateName, number> = { FIRING: 0, PENDING: 1, ACKNOWLEDGED: 2, RESOLVED: 3 };
  rows.sort((a, b) => rank[a.state] - rank[b.state]);
  const provenance = await provenanceOf(rows);
  return rows.map((row) => toDto(row, provenance(row), user));
}

/** The header badge: firing alerts on services not under a silence. Zero for people who cannot see monitoring. */
export async function countFiringAlerts(user: CurrentUser): Promise<number> {
  if (!can(user, "monitoring:read")) return 0;
  const now = new Date();
  const db = getDb();
  const [firing, silences] = await Promise.all([
    db.alert.findMany({
      where: { state: "FIRING" },
      select: { rule: { select: { namespace: true, serviceName: true } } },
    }),
    db.alertSilence.findMany({
      where: { startsAt: { lte: now }, endsAt: { gt: now } },
      select: { namespace: true, serviceName: true },
    }),
  ]);
  const silenced = new Set(silences.map((s) => `${s.namespace}/${s.serviceName}`));
  return firing.filter((a) => !silenced.has(`${a.rule.namespace}/${a.rule.serviceName}`)).length;
}

export async function acknowledgeAlert(
  user: CurrentUser,
  alertId: string,
  input: z.input<typeof acknowledgeInput>,
): Promise<AlertDto> {
  assertCan(user, "alerts:acknowledge");
  const { note } = acknowledgeInput.parse(input);
  const row = await getDb().$transaction(async (tx) => {
    const before = await tx.alert.findUnique({ where: { id: alertId }, select: { state: true } });
    if (!before) throw new AppError("NOT_FOUND", "No such alert.");
    if (!canAcknowledge(before.state))
      throw new AppError(
        "CONFLICT",
        `This alert is ${before.state.toLowerCase()}; only a firing alert can be acknowledged.`,
      );
    // Conditional on the state just read: a concurrent acknowledgement or resolve makes this one fail.
    const updated = await tx.alert.updateMany({
      where: { id: alertId, state: "FIRING" },
      data: { state: "ACKNOWLEDGED", acknowledgedAt: new Date(), acknowledgedById: user.id, ackNote: note },
    });
    if (updated.count !== 1)
      throw new AppError("CONFLICT", "The alert changed meanwhile; reload and try again.");
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "alert.acknowledged",
      entityType: "Alert",
      entityId: alertId,
      before: { state: before.state },
      after: { state: "ACKNOWLEDGED", note },
    });
    return tx.alert.findUniqueOrThrow({ where: { id: alertId }, select: alertSelect });
  });
  const provenance = await provenanceOf([row]);
  return toDto(row, provenance(row), user);
}

export interface SilenceDto {
  id: string;
  namespace: string;
  serviceName: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdByName: string;
}

/**
 * Silences and rules are for services that exist: KServe serves it, or it already has rules (so
 * they can be tidied after it is gone). Only KServe's own "not found" refuses; during an outage
 * on-call must still be able to act.
 */
async function assertKnownService(namespace: string, serviceName: string): Promise<void> {
  if (await getDb().alertRule.count({ where: { namespace, serviceName } })) return;
  try {
    await getCloudClients().kserve.get(serviceName, namespace);
  } catch (error) {
    if (isCloudNotFound(error)) {
      throw new AppError(
        "BAD_REQUEST",
        `serviceName: there is no InferenceService ${serviceName} in namespace ${namespace}.`,
        { details: [{ path: ["serviceName"], message: "no such service" }] },
      );
    }
    logger.warn({ err: error, namespace, serviceName }, "could not check the service exists; accepting");
  }
}

/**
 * An LLM rule needs a service whose runtime exports what it watches (docs/decisions/019): refused,
 * before anything is written, on a classic model, and time to first token on TGI. The service's
 * model is read from KServe each time, since its runtime can change under an existing rule.
 */
async function assertLlmKindFits(rule: { namespace: string; serviceName: string; kind: RuleKind }) {
  let runtime: LlmRuntime | null;
  try {
    const isvc = await getCloudClients().kserve.get(rule.serviceName, rule.namespace);
    runtime = llmRuntimeOf(summariseService(isvc).model);
  } catch (error) {
    if (isCloudNotFound(error))
      throw new AppError(
        "BAD_REQUEST",
        `serviceName: there is no InferenceService ${rule.serviceName} in namespace ${rule.namespace}.`,
        { details: [{ path: ["serviceName"], message: "no such service" }] },
      );
    throw new AppError(
      "UNAVAILABLE",
      "KServe could not be read to check that this service runs an LLM; nothing was saved. Try again shortly.",
      { cause: error, retryable: true },
    );
  }
  const why = unsupportedAlertKind(rule.kind, runtime);
  if (why) throw new AppError("BAD_REQUEST", `kind: ${why}`, { details: [{ path: ["kind"], message: why }] });
}

export async function createSilence(
  user: CurrentUser,
  input: z.input<typeof silenceInput>,
): Promise<SilenceDto> {
  assertCan(user, "alerts:acknowledge");
  const { durationMinutes, ...silence } = silenceInput.parse(input);
  await assertKnownService(silence.namespace, silence.serviceName);
  const startsAt = new Date();
  return getDb().$transaction(async (tx) => {
    const row = await tx.alertSilence.create({
      data: {
        ...silence,
        startsAt,
        endsAt: new Date(startsAt.getTime() + durationMinutes * 60_000),
        createdById: user.id,
      },
      select: {
        id: true,
        namespace: true,
        serviceName: true,
        startsAt: true,
        endsAt: true,
        reason: true,
        createdBy: { select: { name: true } },
      },
    });
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "alert.silence-created",
      entityType: "AlertSilence",
      entityId: row.id,
      after: { ...silence, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() },
    });
    return {
      id: row.id,
      namespace: row.namespace,
      serviceName: row.serviceName,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      reason: row.reason,
      createdByName: row.createdBy.name,
    };
  });
}

/** Ends a silence now (the work is done early); new alerts for the service fire again from the next evaluation. */
export async function endSilence(user: CurrentUser, silenceId: string): Promise<SilenceDto> {
  assertCan(user, "alerts:acknowledge");
  if (!silenceIdParams.safeParse({ id: silenceId }).success)
    throw new AppError("NOT_FOUND", "No such silence.");
  const now = new Date();
  return getDb().$transaction(async (tx) => {
    // Conditional on still running, so two people ending it at once leave one audit event.
    const [row] = await tx.alertSilence.updateManyAndReturn({
      where: { id: silenceId, endsAt: { gt: now } },
      data: { endsAt: now },
      select: {
        id: true,
        namespace: true,
        serviceName: true,
        startsAt: true,
        endsAt: true,
        reason: true,
        createdBy: { select: { name: true } },
      },
    });
    if (!row) {
      const exists = await tx.alertSilence.findUnique({ where: { id: silenceId }, select: { id: true } });
      throw exists
        ? new AppError("CONFLICT", "This silence has already ended.")
        : new AppError("NOT_FOUND", "No such silence.");
    }
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "alert.silence-ended",
      entityType: "AlertSilence",
      entityId: row.id,
      after: { namespace: row.namespace, serviceName: row.serviceName, endsAt: now.toISOString() },
    });
    return {
      id: row.id,
      namespace: row.namespace,
      serviceName: row.serviceName,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
      reason: row.reason,
      createdByName: row.createdBy.name,
    };
  });
}

export async function listActiveSilences(
  user: CurrentUser,
  namespace: string,
  serviceName: string,
): Promise<SilenceDto[]> {
  assertCan(user, "monitoring:read");
  const rows = await getDb().alertSilence.findMany({
    where: { namespace, serviceName, endsAt: { gt: new Date() } },
    orderBy: { endsAt: "asc" },
    select: {
      id: true,
      namespace: true,
      serviceName: true,
      startsAt: true,
      endsAt: true,
      reason: true,
      createdBy: { select: { name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    namespace: row.namespace,
    serviceName: row.serviceName,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    reason: row.reason,
    createdByName: row.createdBy.name,
  }));
}

export interface AlertRuleDto {
  id: string;
  namespace: string;
  serviceName: string;
  kind: RuleKind;
  threshold: number;
  forMinutes: number;
  isEnabled: boolean;
  description: string;
}

const ruleSelect = {
  id: true,
  namespace: true,
  serviceName: true,
  kind: true,
  threshold: true,
  forMinutes: true,
  isEnabled: true,
} as const;
const toRuleDto = (rule: Prisma.AlertRuleGetPayload<{ select: typeof ruleSelect }>): AlertRuleDto => ({
  ...rule,
  kind: rule.kind as RuleKind,
  description: describeRule(rule),
});
const kindOrder = (kind: AlertKind) => alertKinds.indexOf(kind);
/** The rules people set; the reconciler's REGISTRY_MISMATCH rule only carries its alerts and is not shown or edited. */
const configurable = { kind: { in: [...ruleKinds] } };

export async function listRulesForService(
  user: CurrentUser,
  namespace: string,
  serviceName: string,
): Promise<AlertRuleDto[]> {
  assertCan(user, "monitoring:read");
  const rules = await getDb().alertRule.findMany({
    where: { namespace, serviceName, ...configurable },
    select: ruleSelect,
  });
  return rules.map(toRuleDto).sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
}

export interface ServiceRulesDto {
  namespace: string;
  serviceName: string;
  href: string;
  /** False for a service that has rules but no longer runs in KServe. */
  isServed: boolean;
  /** The kinds its runtime can support: LLM kinds on LLM services only, TTFT not on TGI. */
  availableKinds: RuleKind[];
  rules: AlertRuleDto[];
}

export interface AlertRulesPage {
  services: ServiceRulesDto[];
  canConfigure: boolean;
  /** Set when KServe could not be read: services without rules may be missing. */
  fleetError: string | null;
}

/** Every served service with its rules (or none yet), plus services that have rules but are gone; optionally one service. */
export async function listAlertRules(
  user: CurrentUser,
  filter: { namespace?: string; serviceName?: string } = {},
): Promise<AlertRulesPage> {
  assertCan(user, "monitoring:read");
  const [rules, fleet] = await Promise.all([
    getDb().alertRule.findMany({
      where: { namespace: filter.namespace, serviceName: filter.serviceName, ...configurable },
      select: ruleSelect,
    }),
    getFleetSnapshot().then(
      (snapshot) => ({
        services: snapshot.services.map((s) => ({
          namespace: s.namespace,
          serviceName: s.name,
          runtime: llmRuntimeOf(s.model),
        })),
        isKServeRead: !snapshot.errors.kserve,
      }),
      () => ({ services: [], isKServeRead: false }),
    ),
  ]);
  const byService = new Map<string, ServiceRulesDto>();
  const kindsFor = (runtime: LlmRuntime | null) =>
    ruleKinds.filter((kind) => !unsupportedAlertKind(kind, runtime));
  const entry = (
    namespace: string,
    serviceName: string,
    isServed: boolean,
    runtime: LlmRuntime | null = null,
  ) => {
    const key = `${namespace}/${serviceName}`;
    let service = byService.get(key);
    if (!service)
      byService.set(
        key,
        (service = {
          namespace,
          serviceName,
          href: serviceHref(namespace, serviceName),
          isServed,
          availableKinds: kindsFor(runtime),
          rules: [],
        }),
      );
    service.isServed ||= isServed;
    return service;
  };
  for (const served of fleet.services) {
    if (
      (!filter.namespace || served.namespace === filter.namespace) &&
      (!filter.serviceName || served.serviceName === filter.serviceName)
    )
      entry(served.namespace, served.serviceName, true, served.runtime);
  }
  for (const rule of rules) entry(rule.namespace, rule.serviceName, false).rules.push(toRuleDto(rule));
  const services = [...byService.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.serviceName.localeCompare(b.serviceName),
  );
  for (const service of services) service.rules.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
  return {
    services,
    canConfigure: can(user, "alerts:configure"),
    fleetError: fleet.isKServeRead
      ? null
      : "KServe could not be read, so services without rules may be missing.",
  };
}

/** Creates or changes a service's rule of one kind (one rule per kind and service). */
export async function saveAlertRule(user: CurrentUser, input: RuleInput): Promise<AlertRuleDto> {
  assertCan(user, "alerts:configure");
  const rule = ruleInput.parse(input);
  if ((llmAlertKinds as readonly string[]).includes(rule.kind)) await assertLlmKindFits(rule);
  else await assertKnownService(rule.namespace, rule.serviceName);
  return getDb().$transaction(async (tx) => {
    const key = {
      namespace_serviceName_kind: {
        namespace: rule.namespace,
        serviceName: rule.serviceName,
        kind: rule.kind,
      },
    };
    const before = await tx.alertRule.findUnique({
      where: key,
      select: { threshold: true, forMinutes: true, isEnabled: true },
    });
    const saved = await tx.alertRule.upsert({
      where: key,
      create: rule,
      update: { threshold: rule.threshold, forMinutes: rule.forMinutes, isEnabled: rule.isEnabled },
      select: ruleSelect,
    });
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "alert-rule.saved",
      entityType: "AlertRule",
      entityId: saved.id,
      before: before ?? undefined,
      after: rule,
    });
    return toRuleDto(saved);
  });
}

/**
 * Deletes a rule and, through the foreign key, its alerts; the audit event keeps what it was.
 * The defaults are seeded once per service, so a service left with no rules stays without.
 */
export async function deleteAlertRule(user: CurrentUser, ruleId: string): Promise<{ id: string }> {
  assertCan(user, "alerts:configure");
  if (!ruleIdParams.safeParse({ id: ruleId }).success) throw new AppError("NOT_FOUND", "No such alert rule.");
  return getDb().$transaction(async (tx) => {
    const before = await tx.alertRule.findUnique({
      where: { id: ruleId },
      select: {
        namespace: true,
        serviceName: true,
        kind: true,
        threshold: true,
        forMinutes: true,
        isEnabled: true,
        _count: { select: { alerts: true } },
      },
    });
    if (!before || !isRuleKind(before.kind))
      throw new AppError("NOT_FOUND", "No such alert rule; someone may have deleted it already.");
    await tx.alertRule.delete({ where: { id: ruleId } });
    const { _count, ...rule } = before;
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "alert-rule.deleted",
      entityType: "AlertRule",
      entityId: ruleId,
      before: { ...rule, alerts: _count.alerts },
    });
    return { id: ruleId };
  });
}
