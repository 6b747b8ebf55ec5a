import { z } from "zod";

/**
 * What a data scientist can launch, shared by the launch form and the server: model families,
 * cluster choices with their DBU rates, presets, and the Databricks task each run becomes.
 */

/** Azure Databricks node types offered, with DBU/hour for Jobs Compute (published rates; an estimate). */
export const nodeTypes = {
  Standard_DS3_v2: { label: "DS3 v2 · 4 vCPU, 14 GB", dbuPerHour: 0.75, gpu: false },
  Standard_DS4_v2: { label: "DS4 v2 · 8 vCPU, 28 GB", dbuPerHour: 1.5, gpu: false },
  Standard_DS5_v2: { label: "DS5 v2 · 16 vCPU, 56 GB", dbuPerHour: 3, gpu: false },
  Standard_E8ds_v4: { label: "E8ds v4 · 8 vCPU, 64 GB (memory optimised)", dbuPerHour: 2, gpu: false },
  Standard_NC6s_v3: { label: "NC6s v3 · 1× V100 16 GB", dbuPerHour: 3, gpu: true },
  Standard_NC24ads_A100_v4: { label: "NC24ads A100 v4 · 1× A100 80 GB", dbuPerHour: 6.8, gpu: true },
  Standard_NC48ads_A100_v4: { label: "NC48ads A100 v4 · 2× A100 80 GB", dbuPerHour: 13.6, gpu: true },
} as const;
export type NodeTypeId = keyof typeof nodeTypes;
export const nodeTypeIds = Object.keys(nodeTypes) as [NodeTypeId, ...NodeTypeId[]];

export const runtimes = ["15.4.x-scala2.12", "15.4.x-cpu-ml-scala2.12", "15.4.x-gpu-ml-scala2.12", "16.4.x-cpu-ml-scala2.12"] as const;

export const modelFamilies = {
  logistic_regression: { label: "Logistic regression", kind: "TABULAR" },
  gradient_boosted_trees: { label: "Gradient-boosted trees", kind: "TABULAR" },
  llm_lora: { label: "LLM fine-tuning (LoRA)", kind: "GENAI_FINETUNE" },
} as const;
export type ModelFamily = keyof typeof modelFamilies;

const cluster = z
  .object({
    nodeTypeId: z.enum(nodeTypeIds),
    runtime: z.enum(runtimes),
    workers: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("fixed"), count: z.coerce.number().int().min(0).max(64) }),
      z.object({ mode: z.literal("autoscale"), min: z.coerce.number().int().min(1).max(64), max: z.coerce.number().int().min(1).max(64) }),
    ]),
  })
  .refine((c) => c.workers.mode === "fixed" || c.workers.min <= c.workers.max, { message: "Autoscale minimum must not exceed the maximum", path: ["workers", "max"] });

const tabularParams = z.object({
  learningRate: z.coerce.number().positive().max(10),
  epochs: z.coerce.number().int().min(1).max(500),
  regularisation: z.coerce.number().min(0).max(10).default(0.01),
  maxDepth: z.coerce.number().int().min(1).max(16).default(4),
});

const fineTuneParams = z.object({
  baseModel: z.string().trim().min(3).max(200).regex(/^[\w.-]+\/[\w.-]+$/, "Use a Hugging Face id such as meta-llama/Meta-Llama-3-8B"),
  epochs: z.coerce.number().int().min(1).max(20),
  batchSize: z.coerce.number().int().min(1).max(512),
  learningRate: z.coerce.number().positive().max(1),
  loraRank: z.coerce.number().int().min(1).max(256).default(16),
});

const unityCatalogName = z.string().trim().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, "Pick a table as catalog.schema.table");

export const launchRunInput = z
  .object({
    runName: z.string().trim().min(3, "Give the run a name of at least 3 characters").max(120),
    experimentName: z.string().trim().min(2).max(250).regex(/^\//, "Experiment paths start with / (e.g. /Shared/churn-model)"),
    datasetFullName: unityCatalogName,
    modelFamily: z.enum(Object.keys(modelFamilies) as [ModelFamily, ...ModelFamily[]]),
    params: z.union([tabularParams, fineTuneParams]),
    cluster,
    timeoutMinutes: z.coerce.number().int().min(5).max(24 * 60),
    registeredModelName: z.string().trim().max(200).optional(),
  })
  .superRefine((input, ctx) => {
    const isFineTune = modelFamilies[input.modelFamily].kind === "GENAI_FINETUNE";
    const params = isFineTune ? fineTuneParams.safeParse(input.params) : tabularParams.safeParse(input.params);
    if (!params.success) for (const issue of params.error.issues) ctx.addIssue({ ...issue, path: ["params", ...issue.path] } as never);
    if (isFineTune && !nodeTypes[input.cluster.nodeTypeId].gpu) {
      ctx.addIssue({ code: "custom", path: ["cluster", "nodeTypeId"], message: "Fine-tuning needs a GPU node type" });
    }
  });
export type LaunchRunInput = z.output<typeof launchRunInput>;

/** DBU/hour for the driver plus workers (at the autoscale maximum: the most it can cost). */
export function estimateDbuPerHour(c: LaunchRunInput["cluster"]): number {
  const workers = c.workers.mode === "fixed" ? c.workers.count : c.workers.max;
  return Math.round(nodeTypes[c.nodeTypeId].dbuPerHour * (workers + 1) * 100) / 100;
}
