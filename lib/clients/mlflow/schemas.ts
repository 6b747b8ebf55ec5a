import { z } from "zod";

/**
 * MLflow's wire contract (mlflow/protos/service.proto, model_registry.proto; Unity Catalog shapes from
 * databricks-sdk-py catalog.py), read into camelCase objects. Proto JSON omits unset fields and empty
 * lists, so lists default to empty; everything Switchboard relies on is required, so drift fails loudly.
 */

/** int64 arrives as a JSON number from MLflow and Databricks; some proxies send a decimal string. */
const int64 = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
/** Proto JSON writes non-finite doubles as strings. */
const double = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"]).transform(Number)]);
const keyValues = z
  .array(z.object({ key: z.string(), value: z.string().default("") }))
  .default([])
  .transform((list) => Object.fromEntries(list.map((t) => [t.key, t.value])) as Record<string, string>);

export const lifecycleStages = ["active", "deleted"] as const;
export const runStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export const modelStages = ["None", "Staging", "Production", "Archived"] as const;
export const modelVersionStatuses = ["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"] as const;
export type RunStatus = (typeof runStatuses)[number];
export type ModelStage = (typeof modelStages)[number];
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export const experimentSchema = z
  .object({
    experiment_id: z.string(),
    name: z.string(),
    artifact_location: z.string().optional(),
    lifecycle_stage: z.enum(lifecycleStages),
    creation_time: int64.optional(),
    last_update_time: int64.optional(),
    tags: keyValues,
  })
  .transform((e) => ({
    experimentId: e.experiment_id,
    name: e.name,
    artifactLocation: e.artifact_location,
    lifecycleStage: e.lifecycle_stage,
    creationTime: e.creation_time,
    lastUpdateTime: e.last_update_time,
    tags: e.tags,
  }));
export type Experiment = z.output<typeof experimentSchema>;

export const metricSchema = z
  .object({ key: z.string(), value: double, timestamp: int64, step: int64.default(0) })
  .transform((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step }));
export type Metric = z.output<typeof metricSchema>;

export const metricWithRunIdSchema = z
  .object({ key: z.string(), value: double, timestamp: int64, step: int64.default(0), run_id: z.string() })
  .transform((m) => ({ runId: m.run_id, key: m.key, value: m.value, timestamp: m.timestamp, step: m.step }));
export type MetricWithRunId = z.output<typeof metricWithRunIdSchema>;

export const runInfoSchema = z
  .object({
    run_id: z.string(),
    run_name: z.string().default(""),
    experiment_id: z.string(),
    user_id: z.string().default(""),
    status: z.enum(runStatuses),
    start_time: int64.optional(),
    end_time: int64.optional(),
    artifact_uri: z.string().default(""),
    lifecycle_stage: z.enum(lifecycleStages),
  })
  .transform((r) => ({
    runId: r.run_id,
    runName: r.run_name,
    experimentId: r.experiment_id,
    userId: r.user_id,
    status: r.status,
    startTime: r.start_time,
    endTime: r.end_time,
    artifactUri: r.artifact_uri,
    lifecycleStage: r.lifecycle_stage,
  }));
export type RunInfo = z.output<typeof runInfoSchema>;

const datasetInputSchema = z
  .object({
    tags: keyValues,
    dataset: z.object({
      name: z.string(),
      digest: z.string(),
      source_type: z.string().optional(),
      source: z.string().optional(),
      schema: z.string().optional(),
      profile: z.string().optional(),
    }),
  })
  .transform((d) => ({
    tags: d.tags,
    dataset: {
      name: d.dataset.name,
      digest: d.dataset.digest,
      sourceType: d.dataset.source_type,
      source: d.dataset.source,
      schema: d.dataset.schema,
      profile: d.dataset.profile,
    },
  }));

export const runSchema = z
  .object({
    info: runInfoSchema,
    data: z
      .object({ metrics: z.array(metricSchema).default([]), params: keyValues, tags: keyValues })
      .prefault({}),
    inputs: z.object({ dataset_inputs: z.array(datasetInputSchema).default([]) }).prefault({}),
  })
  .transform((r) => ({
    // Open-source MLflow keeps the user_id the client sent, often "" when only the mlflow.user tag says who.
    info: r.info.userId ? r.info : { ...r.info, userId: r.data.tags["mlflow.user"] ?? "" },
    /** Latest value per key (highest step, then newest timestamp). */
    metrics: Object.fromEntries(r.data.metrics.map((m) => [m.key, m])) as Record<string, Metric>,
    params: r.data.params,
    tags: r.data.tags,
    datasetInputs: r.inputs.dataset_inputs,
  }));
export type Run = z.output<typeof runSchema>;

export const modelVersionSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    creation_timestamp: int64.optional(),
    last_updated_timestamp: int64.optional(),
    user_id: z.string().optional(),
    current_stage: z.enum(modelStages).default("None"),
    description: z.string().default(""),
    source: z.string().default(""),
    run_id: z.string().optional(),
    status: z.enum(modelVersionStatuses).default("READY"),
    status_message: z.string().optional(),
    tags: keyValues,
    run_link: z.string().optional(),
    aliases: z.array(z.string()).default([]),
  })
  .transform((v) => ({
    name: v.name,
    version: v.version,
    creationTimestamp: v.creation_timestamp,
    lastUpdatedTimestamp: v.last_updated_timestamp,
    userId: v.user_id,
    currentStage: v.current_stage,
    description: v.description,
    source: v.source,
    runId: v.run_id || undefined,
    status: v.status,
    statusMessage: v.status_message,
    tags: v.tags,
    runLink: v.run_link || undefined,
    aliases: v.aliases,
  }));
export type ModelVersion = z.output<typeof modelVersionSchema>;

export const registeredModelSchema = z
  .object({
    name: z.string(),
    creation_timestamp: int64.optional(),
    last_updated_timestamp: int64.optional(),
    description: z.string().default(""),
    latest_versions: z.array(modelVersionSchema).default([]),
    tags: keyValues,
    aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
  })
  .transform((m) => ({
    name: m.name,
    creationTimestamp: m.creation_timestamp,
    lastUpdatedTimestamp: m.last_updated_timestamp,
    description: m.description,
    latestVersions: m.latest_versions,
    tags: m.tags,
    aliases: m.aliases,
  }));
export type RegisteredModel = z.output<typeof registeredModelSchema>;

const ucAliasSchema = z
  .object({ alias_name: z.string(), version_num: z.number().int() })
  .transform((a) => ({ aliasName: a.alias_name, versionNum: a.version_num }));
export type UcModelAlias = z.output<typeof ucAliasSchema>;

export const ucRegisteredModelSchema = z
  .object({
    name: z.string(),
    catalog_name: z.string(),
    schema_name: z.string(),
    full_name: z.string(),
    owner: z.string().optional(),
    comment: z.string().optional(),
    storage_location: z.string().optional(),
    created_at: int64.optional(),
    created_by: z.string().optional(),
    updated_at: int64.optional(),
    updated_by: z.string().optional(),
    aliases: z.array(ucAliasSchema).default([]),
  })
  .transform((m) => ({
    name: m.name,
    catalogName: m.catalog_name,
    schemaName: m.schema_name,
    fullName: m.full_name,
    owner: m.owner,
    comment: m.comment,
    storageLocation: m.storage_location,
    createdAt: m.created_at,
    createdBy: m.created_by,
    updatedAt: m.updated_at,
    updatedBy: m.updated_by,
    aliases: m.aliases,
  }));
export type UcRegisteredModel = z.output<typeof ucRegisteredModelSchema>;

export const ucModelVersionSchema = z
  .object({
    model_name: z.string(),
    catalog_name: z.string(),
    schema_name: z.string(),
    version: z.number().int(),
    source: z.string().optional(),
    run_id: z.string().optional(),
    status: z.enum(modelVersionStatuses).optional(),
    comment: z.string().optional(),
    storage_location: z.string().optional(),
    created_at: int64.optional(),
    created_by: z.string().optional(),
    updated_at: int64.optional(),
    updated_by: z.string().optional(),
    aliases: z.array(ucAliasSchema).default([]),
  })
  .transform((v) => ({
    fullName: `${v.catalog_name}.${v.schema_name}.${v.model_name}`,
    modelName: v.model_name,
    catalogName: v.catalog_name,
    schemaName: v.schema_name,
    version: v.version,
    source: v.source,
    runId: v.run_id,
    status: v.status,
    comment: v.comment,
    storageLocation: v.storage_location,
    createdAt: v.created_at,
    createdBy: v.created_by,
    updatedAt: v.updated_at,
    updatedBy: v.updated_by,
    aliases: v.aliases,
  }));
export type UcModelVersion = z.output<typeof ucModelVersionSchema>;

const pageToken = z.string().optional();
export const responses = {
  empty: z.unknown(),
  experiment: z.object({ experiment: experimentSchema }),
  createExperiment: z.object({ experiment_id: z.string() }),
  experiments: z.object({ experiments: z.array(experimentSchema).default([]), next_page_token: pageToken }),
  run: z.object({ run: runSchema }),
  runInfo: z.object({ run_info: runInfoSchema }),
  runs: z.object({ runs: z.array(runSchema).default([]), next_page_token: pageToken }),
  metrics: z.object({ metrics: z.array(metricSchema).default([]), next_page_token: pageToken }),
  metricsWithRunId: z.object({ metrics: z.array(metricWithRunIdSchema).default([]) }),
  registeredModel: z.object({ registered_model: registeredModelSchema }),
  registeredModels: z.object({
    registered_models: z.array(registeredModelSchema).default([]),
    next_page_token: pageToken,
  }),
  modelVersion: z.object({ model_version: modelVersionSchema }),
  modelVersions: z.object({
    model_versions: z.array(modelVersionSchema).default([]),
    next_page_token: pageToken,
  }),
  ucModels: z.object({
    registered_models: z.array(ucRegisteredModelSchema).default([]),
    next_page_token: pageToken,
  }),
  ucModel: ucRegisteredModelSchema,
  ucVersions: z.object({
    model_versions: z.array(ucModelVersionSchema).default([]),
    next_page_token: pageToken,
  }),
  ucVersion: ucModelVersionSchema,
  ucAlias: ucAliasSchema,
};
