import { z } from "zod";
import { nodeTypeIds, nodeTypes, runtimes, tabularFamilies } from "@/lib/domain/training/launch";
import { RunStatus } from "@/lib/db/generated/enums";

export const listRunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  status: z.enum(RunStatus).optional(),
  experimentName: z.string().max(250).optional(),
  mine: z.stringbool().optional(),
  /** Opaque cursor from the previous page (`createdAt|id` of its last row). */
  after: z.string().max(100).optional(),
});

export type ListRunsQuery = z.output<typeof listRunsQuery>;

// ---- launching a run (the form and POST /api/runs share these) ----

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const workers = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("fixed"), count: count(0, 64) }),
  z.object({ mode: z.literal("autoscale"), min: count(1, 64), max: count(1, 64) }),
]);

const cluster = z
  .object({
    nodeTypeId: z.enum(nodeTypeIds, "Pick a node type"),
    runtime: z.enum(runtimes, "Pick a runtime"),
    workers,
  })
  .refine((c) => c.workers.mode === "fixed" || c.workers.min <= c.workers.max, {
    message: "Autoscale minimum must not exceed the maximum",
    path: ["workers", "max"],
  });
export type ClusterInput = z.output<typeof cluster>;

const tabularParams = z.object({
  learningRate: z.coerce.number().positive().max(10),
  epochs: count(1, 500),
  regularisation: z.coerce.number().min(0).max(10).default(0.01),
  maxDepth: count(1, 16).default(4),
});

const fineTuneParams = z.object({
  baseModel: z
    .string()
    .trim()
    .min(3)
    .max(200)
    .regex(/^[\w.-]+\/[\w.-]+$/, "Use a Hugging Face id such as meta-llama/Meta-Llama-3-8B"),
  epochs: count(1, 20),
  batchSize: count(1, 512),
  learningRate: z.coerce.number().positive().max(1),
  loraRank: count(1, 256).default(16),
});
export type TabularParams = z.output<typeof tabularParams>;
export type FineTuneParams = z.output<typeof fineTuneParams>;

const unityCatalogName = z
  .string()
  .trim()
  .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, "Pick a table as catalog.schema.table");

const flagPattern = /^--[a-z][\w-]*(=[\w./:-]+)?$/i;
const valuePattern = /^[\w./:-]+$/;

/**
 * `--name value` / `--name=value` pairs only, so nothing can smuggle a second command in. Checked
 * token by token: the single pattern it replaces backtracked exponentially on `--a--a…--a!`.
 */
export function isExtraArguments(text: string): boolean {
  let canTakeValue = false;
  for (const token of text.split(/\s+/)) {
    if (!token) continue;
    if (flagPattern.test(token)) canTakeValue = !token.includes("=");
    else if (canTakeValue && valuePattern.test(token)) canTakeValue = false;
    else return false;
  }
  return true;
}

const common = {
  runName: z.string().trim().min(3, "Give the run a name of at least 3 characters").max(120),
  experimentName: z
    .string()
    .trim()
    .min(2)
    .max(250)
    .regex(/^\//, "Experiment paths start with / (e.g. /Shared/churn-model)"),
  datasetFullName: unityCatalogName,
  cluster,
  timeoutMinutes: count(5, 24 * 60),
  registeredModelName: z
    .string()
    .trim()
    .max(200)
    .regex(/^[\w.-]*$/, "Letters, digits, dots, dashes and underscores only")
    .optional()
    .transform((name) => name || undefined),
  /** Checked against Feast's registry on the server (lib/dal/runs.ts); the training code tags its MLflow run with it. */
  featureService: z
    .string()
    .trim()
    .max(200)
    .regex(/^[\w.-]*$/, "Pick a feature service from Feast's registry")
    .optional()
    .transform((name) => name || undefined),
  extraArguments: z
    .string()
    .trim()
    .max(500, { abort: true })
    .refine(isExtraArguments, "Use --name value pairs, e.g. --seed 7")
    .optional()
    .transform((args) => args || undefined),
};

/**
 * One schema for the form and the server. The model family decides which hyperparameters apply, so
 * the parameters are validated (and their errors placed) by the family's own schema.
 */
export const launchRunInput = z
  .discriminatedUnion("modelFamily", [
    z.object({ ...common, modelFamily: z.enum(tabularFamilies), params: tabularParams }),
    z.object({ ...common, modelFamily: z.literal("llm_lora"), params: fineTuneParams }),
  ])
  .superRefine((input, ctx) => {
    if (input.modelFamily === "llm_lora" && !nodeTypes[input.cluster.nodeTypeId].gpu) {
      ctx.addIssue({
        code: "custom",
        path: ["cluster", "nodeTypeId"],
        message: "Fine-tuning needs a GPU node type",
      });
    }
  });
export type LaunchRunInput = z.output<typeof launchRunInput>;
/** What the form holds before parsing (numbers may still be strings). */
export type LaunchRunDraft = z.input<typeof launchRunInput>;

/** The fields the cost depends on, so the estimate shows as soon as they are valid (not the whole form). */
export const costInput = z.object({ cluster, timeoutMinutes: common.timeoutMinutes });
export type CostInput = z.output<typeof costInput>;
