import type { ClusterInput, CostInput, LaunchRunInput } from "@/lib/validation/runs";

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

export const runtimes = [
  "15.4.x-scala2.12",
  "15.4.x-cpu-ml-scala2.12",
  "15.4.x-gpu-ml-scala2.12",
  "16.4.x-cpu-ml-scala2.12",
] as const;

export const modelFamilies = {
  logistic_regression: { label: "Logistic regression", kind: "TABULAR" },
  gradient_boosted_trees: { label: "Gradient-boosted trees", kind: "TABULAR" },
  llm_lora: { label: "LLM fine-tuning (LoRA)", kind: "GENAI_FINETUNE" },
} as const;
export type ModelFamily = keyof typeof modelFamilies;
export type RunKindOf<F extends ModelFamily> = (typeof modelFamilies)[F]["kind"];

export const tabularFamilies = [
  "logistic_regression",
  "gradient_boosted_trees",
] as const satisfies ModelFamily[];

/** The workspace files Switchboard's training code lives in (deployed by the ML platform repo). */
export const trainingEntryPoints = {
  tabular: "/Workspace/Shared/switchboard/train_tabular.py",
  fineTune: "/Workspace/Shared/switchboard/fine_tune_llm",
} as const;

/** DBU/hour for the driver plus workers (at the autoscale maximum: the most it can cost). */
export function estimateDbuPerHour(c: ClusterInput): number {
  const workerCount = c.workers.mode === "fixed" ? c.workers.count : c.workers.max;
  return Math.round(nodeTypes[c.nodeTypeId].dbuPerHour * (workerCount + 1) * 100) / 100;
}

/** The price of a DBU and its currency: the team's Databricks contract, set in configuration. */
export interface DbuRateCard {
  pricePerDbu: number;
  currency: string;
}

/** DBU/hour, price per hour, and the most the run can cost: it is stopped at its timeout. */
export function estimateRunCost(input: CostInput, rate: DbuRateCard) {
  const dbuPerHour = estimateDbuPerHour(input.cluster);
  const perHour = dbuPerHour * rate.pricePerDbu;
  return { dbuPerHour, perHour, atTimeout: (perHour * input.timeoutMinutes) / 60, currency: rate.currency };
}

/** Epochs the run will train, known at launch (MLflow reports how many are done). */
export const epochsOf = (input: Pick<LaunchRunInput, "params">) => input.params.epochs;

export interface LaunchPreset {
  id: string;
  label: string;
  description: string;
  values: Omit<LaunchRunInput, "runName" | "datasetFullName" | "experimentName"> & {
    experimentName: string;
    datasetFullName: string;
  };
}

export const launchPresets: LaunchPreset[] = [
  {
    id: "churn-logistic",
    label: "Churn — logistic regression",
    description: "Fast baseline on a small CPU cluster.",
    values: {
      experimentName: "/Shared/churn-model",
      datasetFullName: "ml.training.churn_training_set",
      modelFamily: "logistic_regression",
      params: { learningRate: 0.1, epochs: 20, regularisation: 0.01, maxDepth: 4 },
      cluster: {
        nodeTypeId: "Standard_DS3_v2",
        runtime: "15.4.x-cpu-ml-scala2.12",
        workers: { mode: "fixed", count: 2 },
      },
      timeoutMinutes: 60,
      registeredModelName: undefined,
      featureService: undefined,
      extraArguments: undefined,
    },
  },
  {
    id: "churn-gbt",
    label: "Churn — gradient-boosted trees",
    description: "Stronger model; autoscaling memory-optimised workers.",
    values: {
      experimentName: "/Shared/churn-model",
      datasetFullName: "ml.training.churn_training_set",
      modelFamily: "gradient_boosted_trees",
      params: { learningRate: 0.05, epochs: 40, regularisation: 0.001, maxDepth: 6 },
      cluster: {
        nodeTypeId: "Standard_E8ds_v4",
        runtime: "15.4.x-cpu-ml-scala2.12",
        workers: { mode: "autoscale", min: 2, max: 6 },
      },
      timeoutMinutes: 120,
      registeredModelName: undefined,
      featureService: undefined,
      extraArguments: undefined,
    },
  },
  {
    id: "llama3-8b-lora",
    label: "Gen-AI — Llama 3 8B LoRA",
    description: "Fine-tune meta-llama/Meta-Llama-3-8B on one A100.",
    values: {
      experimentName: "/Shared/genai-support-assistant",
      datasetFullName: "main.features.customer_features",
      modelFamily: "llm_lora",
      params: {
        baseModel: "meta-llama/Meta-Llama-3-8B",
        epochs: 3,
        batchSize: 8,
        learningRate: 0.0002,
        loraRank: 16,
      },
      cluster: {
        nodeTypeId: "Standard_NC24ads_A100_v4",
        runtime: "15.4.x-gpu-ml-scala2.12",
        workers: { mode: "fixed", count: 0 },
      },
      timeoutMinutes: 480,
      registeredModelName: undefined,
      featureService: undefined,
      extraArguments: undefined,
    },
  },
];

/** Databricks' idempotency_token for a run record: the same record can never start two runs. */
export function idempotencyTokenFor(runId: string): string {
  const token = `switchboard-run-${runId}`;
  if (token.length > 64) throw new RangeError("idempotency token longer than 64 characters");
  return token;
}

/**
 * The training_runs row a launch writes: QUEUED, nothing submitted yet, its idempotency token fixed
 * by its id. The web app's launch and the worker tests' harness both write exactly this.
 */
export function newRunRecord(id: string, input: LaunchRunInput, launcher: { id: string; name: string }) {
  const { cluster, registeredModelName, extraArguments } = input;
  return {
    id,
    runName: input.runName,
    kind: modelFamilies[input.modelFamily].kind,
    experimentName: input.experimentName,
    datasetFullName: input.datasetFullName,
    modelFamily: input.modelFamily,
    params: input.params,
    featureService: input.featureService ?? null,
    clusterSpec: {
      ...cluster,
      ...(registeredModelName ? { registeredModelName } : {}),
      ...(extraArguments ? { extraArguments } : {}),
    },
    timeoutSeconds: input.timeoutMinutes * 60,
    estimatedDbuPerHour: estimateDbuPerHour(cluster),
    idempotencyToken: idempotencyTokenFor(id),
    epochsTotal: epochsOf(input),
    epochsDone: 0,
    nextCheckAt: new Date(),
    launchedById: launcher.id,
    events: { create: { status: "QUEUED" as const, message: `Launched by ${launcher.name}` } },
  };
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function splitExtraArguments(extra: string | undefined): string[] {
  return extra ? extra.trim().split(/\s+/).filter(Boolean) : [];
}

/** What a stored run record needs to become a Databricks one-time run. */
export interface SubmittableRun {
  id: string;
  runName: string;
  experimentName: string;
  datasetFullName: string;
  modelFamily: string;
  params: Record<string, unknown>;
  clusterSpec: ClusterInput & { registeredModelName?: string; extraArguments?: string };
  featureService: string | null;
  timeoutSeconds: number;
  launchedBy: string;
}

/**
 * The runs/submit body for a run record. Tabular models run the training script as a
 * spark_python_task with `--name value` parameters; fine-tuning runs a notebook with widgets.
 * `--switchboard_run_id` makes the task tag its MLflow run, which is how Switchboard finds it;
 * `--feature_service` makes it tag `feast.feature_service`, which is how feature lineage finds it.
 */
export function buildSubmitRunRequest(run: SubmittableRun) {
  const { workers: workerSpec, nodeTypeId, runtime, registeredModelName, extraArguments } = run.clusterSpec;
  const isFineTune = modelFamilies[run.modelFamily as ModelFamily]?.kind === "GENAI_FINETUNE";
  const hyperparameters = Object.fromEntries(
    Object.entries(run.params).map(([key, value]) => [snake(key), String(value)]),
  );
  const parameters: Record<string, string> = {
    experiment: run.experimentName,
    dataset: run.datasetFullName,
    model_family: run.modelFamily,
    ...hyperparameters,
    ...(registeredModelName ? { registered_model_name: registeredModelName } : {}),
    ...(run.featureService ? { feature_service: run.featureService } : {}),
    switchboard_run_id: run.id,
    user: run.launchedBy,
  };
  const newCluster = {
    spark_version: runtime,
    node_type_id: nodeTypeId,
    ...(workerSpec.mode === "fixed"
      ? { num_workers: workerSpec.count }
      : { autoscale: { min_workers: workerSpec.min, max_workers: workerSpec.max } }),
    custom_tags: { "switchboard-run-id": run.id },
    data_security_mode: "SINGLE_USER",
  };
  const extra = splitExtraArguments(extraArguments);
  const task = isFineTune
    ? {
        task_key: "fine_tune",
        notebook_task: {
          notebook_path: trainingEntryPoints.fineTune,
          base_parameters: { ...parameters, ...pairsOf(extra) },
        },
      }
    : {
        task_key: "train",
        spark_python_task: {
          python_file: trainingEntryPoints.tabular,
          parameters: [
            ...Object.entries(parameters).flatMap(([key, value]) => [`--${key}`, value]),
            ...extra,
          ],
        },
      };
  return {
    run_name: run.runName,
    idempotency_token: idempotencyTokenFor(run.id),
    timeout_seconds: run.timeoutSeconds,
    tags: { "switchboard-run-id": run.id },
    tasks: [{ ...task, new_cluster: newCluster, timeout_seconds: run.timeoutSeconds, max_retries: 0 }],
  };
}

/** Notebook widgets take a map, so `--a 1 --b=2 --flag` becomes {a: "1", b: "2", flag: "true"}. */
function pairsOf(tokens: string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.startsWith("--")) continue;
    const [key, inline] = token.slice(2).split("=", 2);
    if (inline !== undefined) pairs[key] = inline;
    else if (tokens[i + 1] !== undefined && !tokens[i + 1].startsWith("--")) pairs[key] = tokens[++i];
    else pairs[key] = "true";
  }
  return pairs;
}
