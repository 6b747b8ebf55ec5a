import { z } from "zod";

/**
 * KServe's InferenceService (serving.kserve.io/v1beta1) as the Kubernetes API returns it
 * (kserve/kserve pkg/apis/serving/v1beta1: inference_service.go, predictor.go,
 * inference_service_status.go; Knative's TrafficTarget). Objects stay loose: unknown fields
 * survive a read-modify-write, and only what Switchboard relies on is checked.
 */

const conditionStatus = z.enum(["True", "False", "Unknown"]);

export const conditionSchema = z
  .object({
    type: z.string(),
    status: conditionStatus,
    reason: z.string().optional(),
    message: z.string().optional(),
    lastTransitionTime: z.string().optional(),
    severity: z.string().optional(),
  })
  .loose();

export const trafficTargetSchema = z
  .object({
    tag: z.string().optional(),
    revisionName: z.string().optional(),
    configurationName: z.string().optional(),
    latestRevision: z.boolean().optional(),
    percent: z.number().int().optional(),
    url: z.string().optional(),
  })
  .loose();

export const componentStatusSchema = z
  .object({
    latestReadyRevision: z.string().optional(),
    latestCreatedRevision: z.string().optional(),
    latestRolledoutRevision: z.string().optional(),
    previousRolledoutRevision: z.string().optional(),
    traffic: z.array(trafficTargetSchema).optional(),
    url: z.string().optional(),
  })
  .loose();

export const transitionStatuses = [
  "UpToDate",
  "InProgress",
  "BlockedByFailedLoad",
  "InvalidSpec",
  "",
] as const;

export const modelStatusSchema = z
  .object({
    transitionStatus: z.enum(transitionStatuses).optional(),
    states: z
      .object({ activeModelState: z.string().optional(), targetModelState: z.string().optional() })
      .loose()
      .optional(),
    lastFailureInfo: z
      .object({
        reason: z.string().optional(),
        message: z.string().optional(),
        modelRevisionName: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export const modelSpecSchema = z
  .object({
    modelFormat: z.object({ name: z.string(), version: z.string().optional() }).loose(),
    storageUri: z.string().optional(),
    runtime: z.string().optional(),
    protocolVersion: z.string().optional(),
  })
  .loose();

export const predictorSpecSchema = z
  .object({
    model: modelSpecSchema.optional(),
    minReplicas: z.number().int().optional(),
    maxReplicas: z.number().int().optional(),
    canaryTrafficPercent: z.number().int().min(0).max(100).optional(),
    logger: z
      .object({ url: z.string().optional(), mode: z.enum(["all", "request", "response"]).optional() })
      .loose()
      .optional(),
  })
  .loose();

export const objectMetaSchema = z
  .object({
    name: z.string(),
    namespace: z.string(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: z.number().int().optional(),
    creationTimestamp: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export const inferenceServiceSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.literal("InferenceService"),
    metadata: objectMetaSchema,
    spec: z.object({ predictor: predictorSpecSchema }).loose(),
    status: z
      .object({
        observedGeneration: z.number().int().optional(),
        url: z.string().optional(),
        conditions: z.array(conditionSchema).optional(),
        components: z.object({ predictor: componentStatusSchema.optional() }).loose().optional(),
        modelStatus: modelStatusSchema.optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export const inferenceServiceListSchema = z
  .object({
    kind: z.literal("InferenceServiceList"),
    metadata: z
      .object({
        resourceVersion: z.string().optional(),
        continue: z.string().optional(),
        remainingItemCount: z.number().int().optional(),
      })
      .loose(),
    items: z.array(inferenceServiceSchema),
  })
  .loose();

export type InferenceService = z.infer<typeof inferenceServiceSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type TrafficTarget = z.infer<typeof trafficTargetSchema>;
