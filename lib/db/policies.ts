import type { Prisma, PrismaClient } from "./client";
import {
  builtInPolicy,
  metricRuleSchema,
  selectPolicy,
  type AppliedPolicy,
} from "@/lib/domain/promotion/policy";

/**
 * Promotion policy versions as the web app and the worker both read them (no authorization here;
 * lib/dal/policies.ts and lib/dal/promotions.ts authorize). Rows are append-only.
 */
export const policySelect = {
  id: true,
  modelName: true,
  target: true,
  version: true,
  metrics: true,
  minEvaluationRows: true,
  requiredEvidence: true,
  approvals: true,
  canaryPercent: true,
  effectiveFrom: true,
  note: true,
  createdAt: true,
  createdBy: { select: { name: true } },
} satisfies Prisma.PromotionPolicySelect;
export type PolicyRow = Prisma.PromotionPolicyGetPayload<{ select: typeof policySelect }>;

/** The rules of a stored version, or the built-in ones when there is none. */
export function appliedPolicyOf(row: PolicyRow | null, modelName: string, target: string): AppliedPolicy {
  if (!row) return { ...builtInPolicy, id: null, modelName, target, version: null, effectiveFrom: null };
  return {
    id: row.id,
    modelName: row.modelName,
    target: row.target,
    version: row.version,
    effectiveFrom: row.effectiveFrom.toISOString(),
    metrics: metricRuleSchema.array().parse(row.metrics),
    minEvaluationRows: row.minEvaluationRows,
    requiredEvidence: row.requiredEvidence as AppliedPolicy["requiredEvidence"],
    approvals: row.approvals,
    canaryPercent: row.canaryPercent,
  };
}

/** The policy in force for a model's target at `at` (its own, else the model's "*", else built-in). */
export async function policyInForce(
  db: PrismaClient | Prisma.TransactionClient,
  modelName: string,
  target: string,
  at: Date,
): Promise<AppliedPolicy> {
  const versions = await db.promotionPolicy.findMany({
    where: { modelName, target: { in: [target, "*"] }, effectiveFrom: { lte: at } },
    select: policySelect,
  });
  return appliedPolicyOf(selectPolicy(versions, target, at), modelName, target);
}

/** The version a request was pinned to when it was made. */
export async function pinnedPolicy(
  db: PrismaClient | Prisma.TransactionClient,
  request: { policyId: string | null; modelName: string },
  target: string,
): Promise<AppliedPolicy> {
  const row = request.policyId
    ? await db.promotionPolicy.findUnique({ where: { id: request.policyId }, select: policySelect })
    : null;
  return appliedPolicyOf(row, request.modelName, target);
}
