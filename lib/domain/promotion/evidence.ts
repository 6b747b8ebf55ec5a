import { z } from "zod";
import type { GateFacts } from "./gates";

/**
 * The evidence snapshot a promotion request captures when it is made (and again when refreshed).
 * Stored as JSON on the request; every reader parses it with these schemas, so an old snapshot
 * that no longer fits fails loudly instead of rendering half a page.
 */
export const promotionTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("stage"), name: z.enum(["Staging", "Production"]) }),
  z.object({
    kind: z.literal("alias"),
    name: z
      .string()
      .regex(/^[a-zA-Z][\w-]{0,62}$/, "An alias is letters, digits, - and _, starting with a letter."),
  }),
]);
export type PromotionTarget = z.output<typeof promotionTargetSchema>;

const versionEvidenceSchema = z.object({
  version: z.string(),
  runId: z.string().nullable(),
  runName: z.string().nullable(),
  /** Latest value per metric key of the version's source run. */
  metrics: z.record(z.string(), z.number()),
  registeredAt: z.string().nullable(),
});
const artifactSchema = z.object({ status: z.enum(["passed", "failed", "missing"]), detail: z.string() });
const unrecorded = { status: "missing" as const, detail: "Not captured in this snapshot." };

export type VersionEvidence = z.output<typeof versionEvidenceSchema>;

export const evidenceSchema = z.object({
  capturedAt: z.string(),
  candidate: versionEvidenceSchema,
  /**
   * What the candidate is compared with: the version holding the target, or when the target is
   * empty the one holding the target above it (Staging compares with Production); null when none.
   */
  incumbent: versionEvidenceSchema.extend({ heldTarget: z.string().default("the target") }).nullable(),
  /** The newest registered version then: a newer one makes the request stale. */
  latestVersion: z.string(),
  dataset: z.object({
    fullName: z.string().nullable(),
    upstreams: z.array(z.string()),
    downstreams: z.array(z.string()),
    note: z.string().nullable(),
  }),
  validation: z.object({
    status: z.enum(["passed", "failed", "unknown"]),
    checks: z.array(
      z.object({
        expectation: z.string(),
        column: z.string().nullable(),
        success: z.boolean(),
        observedValue: z.number().nullable(),
      }),
    ),
    checkedAt: z.string().nullable(),
    note: z.string().nullable(),
  }),
  liveHealth: z.object({
    status: z.enum(["known", "unknown"]),
    serviceName: z.string().nullable(),
    p95LatencyMs: z.number().nullable(),
    errorShare: z.number().nullable(),
    /** Share of features drifted in the latest computed window (0–1). */
    driftShare: z.number().nullable(),
    note: z.string().nullable(),
  }),
  /** How many rows the candidate was evaluated on, and where that number was read. */
  evaluation: z
    .object({ rows: z.number().nullable(), source: z.string().nullable() })
    .default({ rows: null, source: null }),
  /** Model card and fairness check as the version's (or its run's) tags record them. */
  artifacts: z
    .object({ modelCard: artifactSchema, fairnessCheck: artifactSchema })
    .default({ modelCard: unrecorded, fairnessCheck: unrecorded }),
});
export type Evidence = z.output<typeof evidenceSchema>;

/** Targets that change what customers are served: they need the policy's production approvals. */
const productionAliases = new Set(["champion", "production", "prod"]);
export const isProductionTarget = (target: PromotionTarget) =>
  target.kind === "stage" ? target.name === "Production" : productionAliases.has(target.name.toLowerCase());

export const describeTarget = (target: PromotionTarget) =>
  target.kind === "stage" ? `stage ${target.name}` : `alias @${target.name}`;

/** Unity Catalog model names are catalog.schema.model; anything else lives in the workspace registry. */
export const registryOf = (modelName: string): "UNITY_CATALOG" | "WORKSPACE" =>
  modelName.split(".").length === 3 ? "UNITY_CATALOG" : "WORKSPACE";

/** The facts the gates judge, read from a snapshot. */
export function gateFactsOf(evidence: Evidence): GateFacts {
  const dataQuality: GateFacts["evidence"]["data-quality"] =
    evidence.validation.status === "unknown"
      ? {
          status: "missing",
          detail: evidence.validation.note ?? "No data-quality results for the training table.",
        }
      : {
          status: evidence.validation.status,
          detail: `${evidence.validation.checks.filter((c) => c.success).length} of ${evidence.validation.checks.length} expectations passed on ${evidence.dataset.fullName ?? "the training table"}.`,
        };
  return {
    candidate: evidence.candidate,
    incumbent: evidence.incumbent,
    evaluationRows: evidence.evaluation.rows,
    evidence: {
      "model-card": evidence.artifacts.modelCard,
      "fairness-check": evidence.artifacts.fairnessCheck,
      "data-quality": dataQuality,
    },
  };
}
