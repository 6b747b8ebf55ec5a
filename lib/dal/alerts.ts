import "server-only";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb, type Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { canAcknowledge, describeRule, type AlertStateName } from "@/lib/domain/alerts/state-machine";
import { getFleetSnapshot, serviceHref } from "./monitoring";

/**
 * Alerts as people see and handle them: the list with links to what is affected, the header
 * count, acknowledgement with a note and silence windows (OnCall), and rule changes (OnCall or
 * Admin). Every change is one transaction with its audit event.
 */

const kubernetesName = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a Kubernetes name");
const alertStates = ["PENDING", "FIRING", "ACKNOWLEDGED", "RESOLVED"] as const;

export const alertListQuery = z.object({
  /** "open" = pending, firing or acknowledged. */
  state: z.enum(["open", "all", ...alertStates]).default("open"),
  namespace: kubernetesName.optional(),
  service: kubernetesName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type AlertListQuery = z.input<typeof alertListQuery>;

export const acknowledgeInput = z.object({ note: z.string().trim().min(3, "note: say what you are doing about it").max(2000) });

export const silenceInput = z.object({
  namespace: kubernetesName,
  serviceName: kubernetesName,
  durationMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60),
  reason: z.string().trim().min(3, "reason: say why").max(1000),
});

export const ruleInput = z.object({
  namespace: kubernetesName,
  serviceName: kubernetesName,
  kind: z.enum(["LATENCY_P95", "ERROR_RATE", "DRIFT_SHARE", "NO_DATA"]),
  /** Milliseconds for latency, a 0–1 share for error rate and drift, minutes for no-data. */
  threshold: z.coerce.number().positive().max(1_000_000),
  forMinutes: z.coerce.number().int().min(0).max(24 * 60),
  isEnabled: z.boolean().default(true),
});

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
}

/** The registered model and approval behind each alert's version: recorded rollouts first, else what KServe serves now. */
async function provenanceOf(rows: AlertRow[]) {
  const services = [...new Map(rows.map((r) => [`${r.rule.namespace}/${r.rule.serviceName}`, { namespace: r.rule.namespace, serviceName: r.rule.serviceName }])).values()];
  const deployments = services.length
    ? await getDb().deployment.findMany({ where: { OR: services, modelName: { not: null } }, orderBy: { createdAt: "desc" }, take: 500, select: { namespace: true, serviceName: true, modelName: true, modelVersion: true, revisionName: true, promotionRequestId: true } })
    : [];
  const snapshot = await getFleetSnapshot().catch(() => undefined);
  return (row: AlertRow) => {
    const mine = deployments.filter((d) => d.namespace === row.rule.namespace && d.serviceName === row.rule.serviceName);
    const match = mine.find((d) => (row.revisionName && d.revisionName === row.revisionName) || (row.modelVersion && d.modelVersion === row.modelVersion));
    const served = snapshot?.services.find((s) => s.namespace === row.rule.namespace && s.name === row.rule.serviceName)?.model;
    return { modelName: match?.modelName ?? mine[0]?.modelName ?? served?.name ?? null, approvalId: match?.promotionRequestId ?? null };
  };
}

function toDto(row: AlertRow, provenance: { modelName: string | null; approvalId: string | null }, user: CurrentUser): AlertDto {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: row.id,
    state: row.state,
    kind: row.rule.kind,
    summary: row.summary,
    value: row.value,
    rule: { threshold: row.rule.threshold, forMinutes: row.rule.forMinutes, description: describeRule(row.rule) },
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
  };
}

export async function listAlerts(user: CurrentUser, query: AlertListQuery = {}): Promise<AlertDto[]> {
  assertCan(user, "monitoring:read");
  const filters = alertListQuery.parse(query);
  const where: Prisma.AlertWhereInput = {
    state: filters.state === "all" ? undefined : filters.state === "open" ? { in: ["PENDING", "FIRING", "ACKNOWLEDGED"] } : filters.state,
    rule: { namespace: filters.namespace, serviceName: filters.service },
  };
  // Firing first, then the newest: what needs a person comes to the top.
  const rows = await getDb().alert.findMany({ where, orderBy: [{ pendingSince: "desc" }], take: filters.limit, select: alertSelect });
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
    db.alert.findMany({ where: { state: "FIRING" }, select: { rule: { select: { namespace: true, serviceName: true } } } }),
    db.alertSilence.findMany({ where: { startsAt: { lte: now }, endsAt: { gt: now } }, select: { namespace: true, serviceName: true } }),
  ]);
  const silenced = new Set(silences.map((s) => `${s.namespace}/${s.serviceName}`));
  return firing.filter((a) => !silenced.has(`${a.rule.namespace}/${a.rule.serviceName}`)).length;
}

export async function acknowledgeAlert(user: CurrentUser, alertId: string, input: z.input<typeof acknowledgeInput>): Promise<AlertDto> {
  assertCan(user, "alerts:acknowledge");
  const { note } = acknowledgeInput.parse(input);
  const row = await getDb().$transaction(async (tx) => {
    const before = await tx.alert.findUnique({ where: { id: alertId }, select: { state: true } });
    if (!before) throw new AppError("NOT_FOUND", "No such alert.");
    if (!canAcknowledge(before.state)) throw new AppError("CONFLICT", `This alert is ${before.state.toLowerCase()}; only a firing alert can be acknowledged.`);
    // Conditional on the state just read: a concurrent acknowledgement or resolve makes this one fail.
    const updated = await tx.alert.updateMany({ where: { id: alertId, state: "FIRING" }, data: { state: "ACKNOWLEDGED", acknowledgedAt: new Date(), acknowledgedById: user.id, ackNote: note } });
    if (updated.count !== 1) throw new AppError("CONFLICT", "The alert changed meanwhile; reload and try again.");
    await appendAuditEvent(tx, { actor: { oid: user.oid, name: user.name }, action: "alert.acknowledged", entityType: "Alert", entityId: alertId, before: { state: before.state }, after: { state: "ACKNOWLEDGED", note } });
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

export async function createSilence(user: CurrentUser, input: z.input<typeof silenceInput>): Promise<SilenceDto> {
  assertCan(user, "alerts:acknowledge");
  const { durationMinutes, ...silence } = silenceInput.parse(input);
  const startsAt = new Date();
  return getDb().$transaction(async (tx) => {
    const row = await tx.alertSilence.create({
      data: { ...silence, startsAt, endsAt: new Date(startsAt.getTime() + durationMinutes * 60_000), createdById: user.id },
      select: { id: true, namespace: true, serviceName: true, startsAt: true, endsAt: true, reason: true, createdBy: { select: { name: true } } },
    });
    await appendAuditEvent(tx, { actor: { oid: user.oid, name: user.name }, action: "alert.silence-created", entityType: "AlertSilence", entityId: row.id, after: { ...silence, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() } });
    return { id: row.id, namespace: row.namespace, serviceName: row.serviceName, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), reason: row.reason, createdByName: row.createdBy.name };
  });
}

export async function listActiveSilences(user: CurrentUser, namespace: string, serviceName: string): Promise<SilenceDto[]> {
  assertCan(user, "monitoring:read");
  const rows = await getDb().alertSilence.findMany({
    where: { namespace, serviceName, endsAt: { gt: new Date() } },
    orderBy: { endsAt: "asc" },
    select: { id: true, namespace: true, serviceName: true, startsAt: true, endsAt: true, reason: true, createdBy: { select: { name: true } } },
  });
  return rows.map((row) => ({ id: row.id, namespace: row.namespace, serviceName: row.serviceName, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), reason: row.reason, createdByName: row.createdBy.name }));
}

export interface AlertRuleDto {
  id: string;
  kind: z.output<typeof ruleInput>["kind"];
  threshold: number;
  forMinutes: number;
  isEnabled: boolean;
  description: string;
}

const ruleSelect = { id: true, kind: true, threshold: true, forMinutes: true, isEnabled: true } as const;
const toRuleDto = (rule: Prisma.AlertRuleGetPayload<{ select: typeof ruleSelect }>): AlertRuleDto => ({ ...rule, description: describeRule(rule) });

export async function listRulesForService(user: CurrentUser, namespace: string, serviceName: string): Promise<AlertRuleDto[]> {
  assertCan(user, "monitoring:read");
  const rules = await getDb().alertRule.findMany({ where: { namespace, serviceName }, orderBy: { kind: "asc" }, select: ruleSelect });
  return rules.map(toRuleDto);
}

/** Creates or changes a service's rule of one kind (one rule per kind and service). */
export async function saveAlertRule(user: CurrentUser, input: z.input<typeof ruleInput>): Promise<AlertRuleDto> {
  if (!can(user, "alerts:acknowledge") && !can(user, "admin:manage")) throw new AppError("FORBIDDEN", "Only on-call engineers and admins change alert rules.");
  const rule = ruleInput.parse(input);
  if ((rule.kind === "ERROR_RATE" || rule.kind === "DRIFT_SHARE") && rule.threshold > 1) throw new AppError("BAD_REQUEST", "threshold: a share between 0 and 1 for error rate and drift rules.");
  return getDb().$transaction(async (tx) => {
    const key = { namespace_serviceName_kind: { namespace: rule.namespace, serviceName: rule.serviceName, kind: rule.kind } };
    const before = await tx.alertRule.findUnique({ where: key, select: { threshold: true, forMinutes: true, isEnabled: true } });
    const saved = await tx.alertRule.upsert({ where: key, create: rule, update: { threshold: rule.threshold, forMinutes: rule.forMinutes, isEnabled: rule.isEnabled }, select: ruleSelect });
    await appendAuditEvent(tx, { actor: { oid: user.oid, name: user.name }, action: "alert-rule.saved", entityType: "AlertRule", entityId: saved.id, before: before ?? undefined, after: rule });
    return toRuleDto(saved);
  });
}
