import { z } from "zod";

/**
 * The parts of Azure Data Factory's REST API (ARM, api-version 2018-06-01) that Switchboard reads, from
 * Azure/azure-rest-api-specs specification/datafactory/resource-manager/Microsoft.DataFactory/stable/
 * 2018-06-01/datafactory.json (PipelineResource, PipelineRun, ActivityRun, RunFilterParameters) and the
 * Learn pages "Pipelines - Create Run", "Pipeline Runs - Query By Factory", "Activity Runs - Query By
 * Pipeline Run". Every field is optional there (read-only, server-filled), so objects stay loose and
 * statuses open strings: an unknown status must not break a page.
 */

/** PipelineRun.status: Queued, InProgress, Succeeded, Failed, Canceling, Cancelled. */
export type PipelineRunStatus =
  "Queued" | "InProgress" | "Succeeded" | "Failed" | "Canceling" | "Cancelled" | (string & {});

const date = z.string().nullable().optional();

/** ParameterSpecification: type is String, Int, Float, Bool, Array, Object or SecureString. */
export const parameterSpecification = z.looseObject({
  type: z.string(),
  defaultValue: z.unknown().optional(),
});
export type ParameterSpecification = z.infer<typeof parameterSpecification>;

/** An activity of a pipeline definition; `policy.retry` is how many times a failed attempt is retried. */
export const activityDefinition = z.looseObject({
  name: z.string(),
  type: z.string(),
  description: z.string().nullable().optional(),
  dependsOn: z.array(z.looseObject({ activity: z.string() })).optional(),
  policy: z
    .looseObject({
      retry: z.union([z.number(), z.string()]).optional(),
      retryIntervalInSeconds: z.number().optional(),
      timeout: z.string().optional(),
    })
    .optional(),
  typeProperties: z.record(z.string(), z.unknown()).optional(),
});
export type ActivityDefinition = z.infer<typeof activityDefinition>;

export const pipelineResource = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  type: z.string().optional(),
  etag: z.string().optional(),
  properties: z.looseObject({
    description: z.string().nullable().optional(),
    activities: z.array(activityDefinition).optional(),
    parameters: z.record(z.string(), parameterSpecification).optional(),
    annotations: z.array(z.unknown()).optional(),
    folder: z.looseObject({ name: z.string().optional() }).nullable().optional(),
    concurrency: z.number().optional(),
  }),
});
export type PipelineResource = z.infer<typeof pipelineResource>;

/** PipelineListResponse: a page of pipelines and the link to the next, absent on the last. */
export const pipelineListResponse = z.object({
  value: z.array(pipelineResource),
  nextLink: z.string().nullable().optional(),
});

/** CreateRunResponse. */
export const createRunResponse = z.looseObject({ runId: z.string().min(1) });

export const pipelineRun = z.looseObject({
  runId: z.string(),
  runGroupId: z.string().optional(),
  isLatest: z.boolean().optional(),
  pipelineName: z.string(),
  /** "The full or partial list of parameter name, value pair used in the pipeline run": values are strings. */
  parameters: z.record(z.string(), z.string()).nullable().optional(),
  runDimensions: z.record(z.string(), z.string()).nullable().optional(),
  invokedBy: z
    .looseObject({
      name: z.string().optional(),
      id: z.string().optional(),
      invokedByType: z.string().optional(),
      pipelineName: z.string().optional(),
      pipelineRunId: z.string().optional(),
    })
    .nullable()
    .optional(),
  lastUpdated: date,
  runStart: date,
  runEnd: date,
  durationInMs: z.number().nullable().optional(),
  status: z.string() as z.ZodType<PipelineRunStatus>,
  message: z.string().nullable().optional(),
});
export type PipelineRun = z.infer<typeof pipelineRun>;

/** PipelineRunsQueryResponse: `continuationToken` is absent or null on the last page. */
export const pipelineRunsQueryResponse = z.object({
  value: z.array(pipelineRun),
  continuationToken: z.string().nullable().optional(),
});

/** ActivityRun; `input`, `output` and `error` are whatever the activity type produces (any JSON). */
export const activityRun = z.looseObject({
  activityRunId: z.string(),
  activityName: z.string(),
  activityType: z.string().optional(),
  pipelineName: z.string().optional(),
  pipelineRunId: z.string().optional(),
  linkedServiceName: z.string().nullable().optional(),
  status: z.string(),
  activityRunStart: date,
  activityRunEnd: date,
  durationInMs: z.number().nullable().optional(),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  /** Not in the spec's model but in ADF's answers: null for the first attempt, 1, 2 … for retries. */
  retryAttempt: z.number().nullable().optional(),
});
export type ActivityRun = z.infer<typeof activityRun>;

export const activityRunsQueryResponse = z.object({
  value: z.array(activityRun),
  continuationToken: z.string().nullable().optional(),
});

/** CloudError: ARM's `{error: {code, message, target, details}}`. */
export const cloudError = z.looseObject({
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }),
});
