import { z } from "zod";
import { ApiError } from "../lib/errors";

/**
 * Request bodies the emulated Jobs API accepts (shapes from databricks-sdk-py `service/jobs.py`:
 * SubmitRun, SubmitTask, JobSettings, Task, RunNow). Unknown fields are kept, as the real service
 * ignores what it does not use; what the sandbox cannot run is refused with a clear message.
 */

const stringMap = z.record(z.string(), z.string());

const clusterSpec = z.looseObject({
  spark_version: z.string().min(1, "new_cluster.spark_version is required"),
  node_type_id: z.string().optional(),
  driver_node_type_id: z.string().optional(),
  instance_pool_id: z.string().optional(),
  num_workers: z.number().int().min(0).optional(),
  autoscale: z
    .object({ min_workers: z.number().int().min(0), max_workers: z.number().int().min(1) })
    .optional(),
  spark_env_vars: stringMap.optional(),
  custom_tags: stringMap.optional(),
  azure_attributes: z.record(z.string(), z.unknown()).optional(),
  data_security_mode: z.string().optional(),
});

const taskSpec = z.looseObject({
  task_key: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w\-.]+$/, "task_key may contain only letters, digits, '_', '-' and '.'"),
  description: z.string().optional(),
  depends_on: z.array(z.object({ task_key: z.string(), outcome: z.string().optional() })).optional(),
  spark_python_task: z
    .object({
      python_file: z.string().min(1),
      parameters: z.array(z.string()).optional(),
      source: z.enum(["WORKSPACE", "GIT"]).optional(),
    })
    .optional(),
  notebook_task: z
    .object({
      notebook_path: z.string().min(1),
      base_parameters: stringMap.optional(),
      source: z.enum(["WORKSPACE", "GIT"]).optional(),
      warehouse_id: z.string().optional(),
    })
    .optional(),
  new_cluster: clusterSpec.optional(),
  existing_cluster_id: z.string().min(1).optional(),
  job_cluster_key: z.string().min(1).optional(),
  environment_key: z.string().min(1).optional(),
  libraries: z.array(z.record(z.string(), z.unknown())).optional(),
  timeout_seconds: z.number().int().min(0).optional(),
  max_retries: z.number().int().min(-1).optional(),
});
export type TaskSpec = z.infer<typeof taskSpec>;

const idempotencyToken = z.string().max(64, "idempotency_token must be at most 64 characters").optional();

export const submitRunRequest = z.looseObject({
  run_name: z.string().max(4096).optional(),
  tasks: z.array(taskSpec).min(1, "tasks must contain at least one task").max(1000),
  timeout_seconds: z.number().int().min(0).optional(),
  idempotency_token: idempotencyToken,
  tags: stringMap.optional(),
});
export type SubmitRunRequest = z.infer<typeof submitRunRequest>;

export const jobSettings = z.looseObject({
  name: z.string().max(4096).default("Untitled"),
  tasks: z.array(taskSpec).min(1, "tasks must contain at least one task").max(1000),
  job_clusters: z
    .array(z.object({ job_cluster_key: z.string().min(1), new_cluster: clusterSpec }))
    .optional(),
  timeout_seconds: z.number().int().min(0).optional(),
  max_concurrent_runs: z.number().int().min(0).max(1000).optional(),
  tags: stringMap.optional(),
});
export type JobSettings = z.infer<typeof jobSettings>;

export const runNowRequest = z.looseObject({
  job_id: z.coerce.number().int().positive(),
  idempotency_token: idempotencyToken,
  python_params: z.array(z.string()).optional(),
  notebook_params: stringMap.optional(),
  job_parameters: stringMap.optional(),
  only: z.array(z.string()).optional(),
});
export type RunNowRequest = z.infer<typeof runNowRequest>;

export const runIdRequest = z.looseObject({ run_id: z.coerce.number().int().positive() });

/** Parses a body or query, turning the first problems into Databricks' INVALID_PARAMETER_VALUE. */
export function parseRequest<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join(".");
  const message =
    issue.code === "invalid_type" && issue.input === undefined
      ? `Missing required field: ${field}`
      : `${field ? `${field}: ` : ""}${issue.message}`;
  throw new ApiError("INVALID_PARAMETER_VALUE", message);
}

const runnableTaskTypes = ["spark_python_task", "notebook_task"] as const;

/**
 * Checks what the schema cannot: one task type each, unique keys, known dependencies without cycles,
 * and job clusters that exist. Returns the tasks with job clusters resolved to their cluster spec.
 */
export function validateTasks(
  tasks: TaskSpec[],
  jobClusters: { job_cluster_key: string; new_cluster: TaskSpec["new_cluster"] }[] = [],
): TaskSpec[] {
  const keys = new Set<string>();
  for (const task of tasks) {
    if (keys.has(task.task_key))
      throw new ApiError("INVALID_PARAMETER_VALUE", `Task key ${task.task_key} is not unique.`);
    keys.add(task.task_key);
    const types = Object.keys(task).filter((key) => key.endsWith("_task"));
    if (types.length !== 1)
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `Task ${task.task_key} must specify exactly one task type, found ${types.length ? types.join(", ") : "none"}.`,
      );
    if (!runnableTaskTypes.includes(types[0] as (typeof runnableTaskTypes)[number])) {
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `Task ${task.task_key}: the sandbox runs only ${runnableTaskTypes.join(" and ")}, not ${types[0]}.`,
      );
    }
    const compute = ["new_cluster", "existing_cluster_id", "job_cluster_key", "environment_key"].filter(
      (key) => key in task,
    );
    if (compute.length > 1)
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `Task ${task.task_key} may specify only one of ${compute.join(", ")}.`,
      );
  }
  for (const task of tasks) {
    for (const dependency of task.depends_on ?? []) {
      if (!keys.has(dependency.task_key))
        throw new ApiError(
          "INVALID_PARAMETER_VALUE",
          `Task ${task.task_key} depends on ${dependency.task_key}, which does not exist.`,
        );
    }
  }
  assertAcyclic(tasks);
  return tasks.map((task) => {
    if (!task.job_cluster_key) return task;
    const cluster = jobClusters.find((c) => c.job_cluster_key === task.job_cluster_key);
    if (!cluster)
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `Task ${task.task_key} refers to job cluster ${task.job_cluster_key}, which is not defined in job_clusters.`,
      );
    return { ...task, new_cluster: cluster.new_cluster };
  });
}

function assertAcyclic(tasks: TaskSpec[]) {
  const dependencies = new Map(tasks.map((t) => [t.task_key, (t.depends_on ?? []).map((d) => d.task_key)]));
  const state = new Map<string, "visiting" | "done">();
  const visit = (key: string) => {
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting")
      throw new ApiError("INVALID_PARAMETER_VALUE", `The task dependencies form a cycle through ${key}.`);
    state.set(key, "visiting");
    for (const next of dependencies.get(key) ?? []) visit(next);
    state.set(key, "done");
  };
  for (const key of dependencies.keys()) visit(key);
}
