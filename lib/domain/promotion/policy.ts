import { z } from "zod";

/**
 * A promotion policy: what a candidate version must show before officers may approve it for one
 * target of one registered model. Stored as versioned rows (PromotionPolicy); this module is the
 * shape, the validation an admin's edit goes through, and which version applies to a request.
 */

export const evidenceKinds = {
  "model-card": "Model card",
  "fairness-check": "Fairness check",
  "data-quality": "Data-quality results of the training table",
} as const;
export type EvidenceKind = keyof typeof evidenceKinds;
export const evidenceKindIds = Object.keys(evidenceKinds) as [EvidenceKind, ...EvidenceKind[]];

export type Direction = "higher" | "lower";

const finite = z.number().finite();

export const metricRuleSchema = z.object({
  key: z
    .string()
    .trim()
    .min(1, "A metric needs a name.")
    .max(250)
    .regex(/^[\w./ -]+$/, "A metric name is letters, digits, _ . / - and spaces."),
  direction: z.enum(["higher", "lower"]),
  /** A candidate without this metric fails. */
  isRequired: z.boolean().default(true),
  /** Absolute threshold: at least this for higher-is-better, at most this for lower-is-better. */
  minimum: finite.nullable().default(null),
  /** How much worse than the incumbent the candidate may be, in the metric's units (0 = no regression). */
  maxRegression: finite.min(0, "A regression tolerance cannot be negative.").nullable().default(null),
});
export type MetricRule = z.output<typeof metricRuleSchema>;

/** "Production", "Staging", "@alias", or "*" for every target of the model without its own policy. */
export const policyTargetSchema = z
  .string()
  .trim()
  .regex(
    /^(\*|Staging|Production|@[a-zA-Z][\w-]{0,62})$/,
    "A target is Staging, Production, @alias or * (every target).",
  );

export const policyRulesSchema = z.object({
  metrics: z
    .array(metricRuleSchema)
    .max(20)
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      for (const [index, rule] of rules.entries()) {
        if (seen.has(rule.key))
          ctx.addIssue({ code: "custom", path: [index, "key"], message: `${rule.key} is listed twice.` });
        seen.add(rule.key);
      }
    }),
  minEvaluationRows: z.number().int().min(1).max(1e12).nullable().default(null),
  requiredEvidence: z.array(z.enum(evidenceKindIds)).max(evidenceKindIds.length).default([]),
  approvals: z.number().int().min(1).max(5),
  canaryPercent: z.number().int().min(1).max(99).default(10),
});
export type PolicyRules = z.output<typeof policyRulesSchema>;

/** The rules a request is judged by, and which stored version (if any) they come from. */
export interface AppliedPolicy extends PolicyRules {
  id: string | null;
  modelName: string;
  target: string;
  version: number | null;
  effectiveFrom: string | null;
}

/** What applies when nobody set a policy: no metric gates, one approval (production targets still need two). */
export const builtInPolicy: PolicyRules = {
  metrics: [],
  minEvaluationRows: null,
  requiredEvidence: [],
  approvals: 1,
  canaryPercent: 10,
};

/** Production traffic always needs two officers, whatever a policy says. */
export const requiredApprovals = (rules: Pick<PolicyRules, "approvals">, isProduction: boolean) =>
  Math.max(rules.approvals, isProduction ? 2 : 1);

/** The policy key of a promotion target: "Production", "Staging" or "@alias". */
export const policyTargetOf = (target: { kind: "stage" | "alias"; name: string }) =>
  target.kind === "stage" ? target.name : `@${target.name}`;

interface StoredPolicy {
  target: string;
  version: number;
  effectiveFrom: Date;
}

/**
 * The version in force at `at` for a target: the newest effective version of the target's own
 * policy, else of the model's "*" policy, else none (the built-in rules apply).
 */
export function selectPolicy<P extends StoredPolicy>(versions: P[], target: string, at: Date): P | null {
  const inForce = (key: string) =>
    versions
      .filter((p) => p.target === key && p.effectiveFrom.getTime() <= at.getTime())
      .sort((a, b) => b.version - a.version)[0] ?? null;
  return inForce(target) ?? inForce("*");
}

const lowerIsBetter = /(loss|error|rmse|mse|mae|mape|latency|perplexity|toxicity|brier|log_?loss|fpr|fnr)/i;
const higherIsBetter =
  /(auc|accuracy|f1|precision|recall|r2|map|ndcg|bleu|rouge|exact_match|relevance|faithfulness|score)/i;

/**
 * Which way is better for a metric: the policy's word when it has a rule, else a guess from common
 * names (marked as assumed), else unknown. Only the policy's direction judges a gate.
 */
export function directionOf(
  key: string,
  rules: Pick<PolicyRules, "metrics">,
): { direction: Direction | null; isAssumed: boolean } {
  const rule = rules.metrics.find((m) => m.key === key);
  if (rule) return { direction: rule.direction, isAssumed: false };
  if (lowerIsBetter.test(key)) return { direction: "lower", isAssumed: true };
  if (higherIsBetter.test(key)) return { direction: "higher", isAssumed: true };
  return { direction: null, isAssumed: true };
}

const num = (value: number) =>
  Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));

/** "higher is better · ≥ 0.8 · at most 0.01 worse than the incumbent · required", for tables and the admin page. */
export function describeRule(rule: MetricRule): string {
  const parts = [`${rule.direction} is better`];
  if (rule.minimum !== null) parts.push(`${rule.direction === "higher" ? "≥" : "≤"} ${num(rule.minimum)}`);
  if (rule.maxRegression !== null)
    parts.push(
      rule.maxRegression === 0
        ? "no worse than the incumbent"
        : `at most ${num(rule.maxRegression)} worse than the incumbent`,
    );
  if (rule.isRequired) parts.push("required");
  return parts.join(" · ");
}
