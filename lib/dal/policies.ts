import "server-only";
import { can } from "@/lib/auth/permissions";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb, type PrismaClient } from "@/lib/db/client";
import { appliedPolicyOf, policySelect, type PolicyRow } from "@/lib/db/policies";
import { selectPolicy } from "@/lib/domain/promotion/policy";
import { AppError } from "@/lib/errors";
import { savePolicyBody, type SavePolicyInput } from "@/lib/validation/policies";

/**
 * Promotion policies for the Admin pages: admins change them (a new version each time, audited),
 * risk officers read them. Requests pin the version in force when they are made (lib/dal/promotions.ts).
 */

function toDto(row: PolicyRow, inForceIds: Set<string>, now: Date) {
  const policy = appliedPolicyOf(row, row.modelName, row.target);
  return {
    ...policy,
    note: row.note,
    changedBy: row.createdBy?.name ?? "migration",
    changedAt: row.createdAt.toISOString(),
    isInForce: inForceIds.has(row.id),
    isScheduled: row.effectiveFrom > now,
  };
}
export type PolicyVersionDto = ReturnType<typeof toDto>;

export function createPoliciesStore(db: PrismaClient, now: () => Date = () => new Date()) {
  return {
    /** Every version, newest first per model and target, marking the one in force and any scheduled. */
    async listPolicies(user: CurrentUser, modelName?: string) {
      assertCan(user, "admin:read");
      const rows = await db.promotionPolicy.findMany({
        where: modelName ? { modelName } : {},
        orderBy: [{ modelName: "asc" }, { target: "asc" }, { version: "desc" }],
        select: policySelect,
        take: 1_000,
      });
      const at = now();
      const inForce = new Set<string>();
      for (const key of new Set(rows.map((r) => `${r.modelName}\u0000${r.target}`))) {
        const [model, target] = key.split("\u0000");
        const current = selectPolicy(
          rows.filter((r) => r.modelName === model && r.target === target),
          target,
          at,
        );
        if (current) inForce.add(current.id);
      }
      return { versions: rows.map((r) => toDto(r, inForce, at)), canManage: can(user, "admin:manage") };
    },

    /** Writes the next version of a model's policy for a target; the previous versions stay as history. */
    async savePolicy(user: CurrentUser, raw: SavePolicyInput) {
      assertCan(user, "admin:manage");
      const input = savePolicyBody.parse(raw);
      const at = now();
      const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : at;
      if (effectiveFrom.getTime() < at.getTime() - 60_000)
        throw new AppError(
          "BAD_REQUEST",
          "effectiveFrom: a policy cannot take effect in the past; leave it empty for now.",
        );
      const { modelName, target, note, effectiveFrom: _ignored, ...rules } = input;
      const created = await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`policy:${modelName}/${target}`}))`;
        const previous = await tx.promotionPolicy.findFirst({
          where: { modelName, target },
          orderBy: { version: "desc" },
          select: policySelect,
        });
        const row = await tx.promotionPolicy.create({
          data: {
            modelName,
            target,
            version: (previous?.version ?? 0) + 1,
            ...rules,
            effectiveFrom,
            note,
            createdById: user.id,
          },
          select: policySelect,
        });
        const summary = (r: PolicyRow) => {
          const { id: _id, modelName: _m, target: _t, ...rest } = appliedPolicyOf(r, r.modelName, r.target);
          return rest;
        };
        await appendAuditEvent(tx, {
          actor: { oid: user.oid, name: user.name },
          action: "policy.changed",
          entityType: "PromotionPolicy",
          entityId: `${modelName}/${target}`,
          before: previous ? summary(previous) : null,
          after: { ...summary(row), note },
        });
        return row;
      });
      return toDto(created, new Set(effectiveFrom <= at ? [created.id] : []), at);
    },
  };
}

let store: ReturnType<typeof createPoliciesStore> | undefined;
const getStore = () => (store ??= createPoliciesStore(getDb()));
export const listPolicies = (user: CurrentUser, modelName?: string) =>
  getStore().listPolicies(user, modelName);
export const savePolicy = (user: CurrentUser, input: SavePolicyInput) => getStore().savePolicy(user, input);
