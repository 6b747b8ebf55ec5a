/**
 * The sandbox's Data Factory: one factory (its ARM ids below) holding the team's hourly pipeline as ADF
 * would define it. `ChurnFeaturesHourly` copies the hour's CDR extract (Copy, retried twice), validates
 * customer features (an Azure Function returning a Great Expectations validation result) and runs the
 * churn feature build notebook on Databricks (DatabricksNotebook, which submits a one-time run and
 * reports its runPageUrl). `HourlyTrigger`, a ScheduleTrigger, starts it at the top of every hour.
 */

export { sandboxAdfFactory as sandboxFactory } from "@/lib/config/sandbox-adf";

export type ActivityKind = "copy" | "validate" | "databricks";

export interface ActivitySpec {
  name: string;
  type: string;
  kind: ActivityKind;
  /** policy.retry: a failed attempt is retried this many times, retryIntervalInSeconds apart. */
  retry: number;
  retryIntervalInSeconds: number;
  /** Typical duration at SANDBOX_SPEED 1 (the notebook lasts as long as its Databricks run). */
  seconds: number;
  linkedServiceName?: string;
  typeProperties: Record<string, unknown>;
}

export interface PipelineSpec {
  name: string;
  description: string;
  folder: string;
  annotations: string[];
  parameters: Record<string, { type: string; defaultValue?: unknown }>;
  activities: ActivitySpec[];
  /** The ScheduleTrigger that starts it every period, and how many past periods a fresh sandbox shows. */
  trigger?: { name: string; periodMs: number; historyRuns: number };
}

const hourMs = 3_600_000;

export const notebookPath = "/pipelines/telco/build_churn_features";

export const pipelineSpecs: PipelineSpec[] = [
  {
    name: "ChurnFeaturesHourly",
    description:
      "Copies the hour's CDR extract, validates customer features and runs the churn feature build notebook on Databricks.",
    folder: "telco/churn",
    annotations: ["churn", "databricks", "hourly"],
    parameters: {
      windowStart: { type: "String", defaultValue: "" },
      injectQualityIssue: { type: "Bool", defaultValue: false },
      simulateIngestFailure: { type: "Bool", defaultValue: false },
      // What Switchboard's trigger worker sets so a retried trigger finds the run it already started.
      switchboardTriggerId: { type: "String", defaultValue: "" },
    },
    activities: [
      {
        name: "IngestCdrExtract",
        type: "Copy",
        kind: "copy",
        retry: 2,
        retryIntervalInSeconds: 300,
        seconds: 45,
        typeProperties: {
          source: { type: "DelimitedTextSource", storeSettings: { type: "AzureBlobFSReadSettings" } },
          sink: { type: "ParquetSink", storeSettings: { type: "AzureBlobFSWriteSettings" } },
        },
      },
      {
        name: "ValidateCustomerFeatures",
        type: "AzureFunctionActivity",
        kind: "validate",
        retry: 0,
        retryIntervalInSeconds: 30,
        seconds: 20,
        linkedServiceName: "ls_quality_functions",
        typeProperties: {
          functionName: "validate_customer_features",
          method: "POST",
          body: { table: "main.features.customer_features", suite: "customer_features.hourly" },
        },
      },
      {
        name: "BuildChurnFeatures",
        type: "DatabricksNotebook",
        kind: "databricks",
        retry: 0,
        retryIntervalInSeconds: 30,
        seconds: 30,
        linkedServiceName: "ls_databricks_jobs",
        typeProperties: {
          notebookPath,
          baseParameters: { duration_seconds: "30", hour: "@pipeline().parameters.windowStart" },
        },
      },
    ],
    trigger: { name: "HourlyTrigger", periodMs: hourMs, historyRuns: 36 },
  },
];

export const findPipeline = (name: string) =>
  pipelineSpecs.find((p) => p.name.toLowerCase() === name.toLowerCase());
