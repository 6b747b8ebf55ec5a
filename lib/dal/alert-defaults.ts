import "server-only";
import { can } from "@/lib/auth/permissions";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import {
  defaultLlmRules,
  defaultRules,
  describeRule,
  type RuleKind,
} from "@/lib/domain/alerts/state-machine";
import { alertDefaultInput, type AlertDefaultInput } from "@/lib/validation/alerts";

/**
 * The alert rules every new service starts with (seeded once per service by the evaluation):
 * admins change them on /admin/alerts (audited), risk officers read them. A kind nobody changed
 * shows the code's default; services already seeded keep their own rules.
 */

export interface AlertDefaultDto {
  kind: RuleKind;
  threshold: number;
  forMinutes: number;
  description: string;
  /** Only LLM services get these kinds. */
  isLlmOnly: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

export async function listAlertDefaults(
  user: CurrentUser,
): Promise<{ defaults: AlertDefaultDto[]; canManage: boolean }> {
  assertCan(user, "admin:read");
  const saved = new Map((await getDb().alertRuleDefault.findMany()).map((row) => [row.kind, row]));
  const defaults = [
    ...defaultRules.map((rule) => ({ rule, isLlmOnly: false })),
    ...defaultLlmRules.map((rule) => ({ rule, isLlmOnly: true })),
  ].map(({ rule, isLlmOnly }) => {
    const row = saved.get(rule.kind);
    const spec = row ? { kind: rule.kind, threshold: row.threshold, forMinutes: row.forMinutes } : rule;
    return {
      kind: rule.kind as RuleKind,
      threshold: spec.threshold,
      forMinutes: spec.forMinutes,
      description: describeRule(spec),
      isLlmOnly,
      changedBy: row?.updatedByName ?? null,
      changedAt: row?.updatedAt.toISOString() ?? null,
    };
  });
  return { defaults, canManage: can(user, "admin:manage") };
}

export async function saveAlertDefault(user: CurrentUser, raw: AlertDefaultInput): Promise<AlertDefaultDto> {
  assertCan(user, "admin:manage");
  const input = alertDefaultInput.parse(raw);
  const row = await getDb().$transaction(async (tx) => {
    const before = await tx.alertRuleDefault.findUnique({
      where: { kind: input.kind },
      select: { threshold: true, forMinutes: true },
    });
    const code = [...defaultRules, ...defaultLlmRules].find((rule) => rule.kind === input.kind);
    const saved = await tx.alertRuleDefault.upsert({
      where: { kind: input.kind },
      create: { ...input, updatedByName: user.name, updatedAt: new Date() },
      update: {
        threshold: input.threshold,
        forMinutes: input.forMinutes,
        updatedByName: user.name,
        updatedAt: new Date(),
      },
    });
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "alert-default.saved",
      entityType: "AlertRuleDefault",
      entityId: input.kind,
      before: before ?? (code ? { threshold: code.threshold, forMinutes: code.forMinutes } : undefined),
      after: { threshold: input.threshold, forMinutes: input.forMinutes },
    });
    return saved;
  });
  const spec = { kind: input.kind, threshold: row.threshold, forMinutes: row.forMinutes };
  return {
    ...spec,
    description: describeRule(spec),
    isLlmOnly: defaultLlmRules.some((rule) => rule.kind === input.kind),
    changedBy: row.updatedByName,
    changedAt: row.updatedAt.toISOString(),
  };
}
