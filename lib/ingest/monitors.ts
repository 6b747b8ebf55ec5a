import { featureDefinitionsSchema, type FeatureDefinition } from "@/lib/domain/drift/bins";
import { CloudApiError } from "@/lib/clients/http";
import type { CloudClients } from "@/lib/cloud";
import type { PrismaClient } from "@/lib/db/client";
import { servedModelOf, servingRevisionsOf } from "@/lib/domain/rollout/serving-map";
import { buildFeatureDefinitions, payloadFeatureNames, REFERENCE_SAMPLE_ROWS } from "./reference";

/**
 * Which drift monitor a service's payloads feed: the one for the model version the
 * InferenceService serves now, created on first sight with its reference built from a bounded
 * sample of that version's training data (model version → MLflow run → the TrainingRun's dataset,
 * or the run's `train_table`/`dataset` param or dataset input). Events carry no model version but
 * KServe's logger names its endpoint (ce-endpoint "default" or "canary"), so during a canary each
 * revision feeds the monitor of the version it serves (servingRevisionsOf), and after a rollback the
 * revision serving again feeds its own version's monitor, not the rolled-back one's.
 */

export interface ResolvedMonitor {
  id: string;
  features: FeatureDefinition[];
  windowMinutes: number;
}

export type MonitorResolution = { monitor: ResolvedMonitor } | { unavailable: string };

export interface MonitorResolverDeps {
  db: PrismaClient;
  clients: Pick<CloudClients, "kserve" | "mlflow" | "sql">;
}

const DEFAULT_WINDOW_MINUTES = 5;

export async function resolveMonitor(
  deps: MonitorResolverDeps,
  namespace: string,
  service: string,
  samplePayload: unknown,
  endpoint?: string,
): Promise<MonitorResolution> {
  const { db, clients } = deps;
  const served = await clients.kserve.get(service, namespace).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (!served) return { unavailable: `InferenceService ${namespace}/${service} does not exist` };
  const storageUri = served.spec.predictor.model?.storageUri;
  const deployment = await db.deployment.findFirst({
    where: { namespace, serviceName: service, status: "SUCCEEDED", modelVersion: { not: null } },
    orderBy: { createdAt: "desc" },
    select: { modelName: true, modelVersion: true, storageUri: true },
  });
  const fromDeployment =
    deployment && (!storageUri || deployment.storageUri === storageUri) ? deployment : undefined;
  const annotated = servedModelOf(served);
  const revision =
    annotated?.source === "annotation"
      ? servingRevisionsOf(served).find((r) => r.endpoint === (endpoint === "canary" ? "canary" : "default"))
      : undefined;
  const modelVersion =
    revision?.version ?? fromDeployment?.modelVersion ?? modelVersionFromStorageUri(storageUri);
  const modelName =
    (revision?.version ? annotated?.modelName : undefined) ??
    fromDeployment?.modelName ??
    modelNameFromStorageUri(storageUri) ??
    service;
  if (!modelVersion)
    return {
      unavailable: `Cannot tell the model version ${namespace}/${service} serves from ${storageUri ?? "its spec"}`,
    };

  const existing = await db.driftMonitor.findUnique({
    where: { namespace_serviceName_modelVersion: { namespace, serviceName: service, modelVersion } },
    select: { id: true, features: true, windowMinutes: true },
  });
  if (existing)
    return {
      monitor: {
        id: existing.id,
        features: featureDefinitionsSchema.parse(existing.features),
        windowMinutes: existing.windowMinutes,
      },
    };

  const dataset = await trainingDatasetOf(deps, modelName, modelVersion);
  if (!dataset)
    return { unavailable: `No training dataset is recorded for ${modelName} version ${modelVersion}` };
  const sample = await clients.sql.sampleRows(dataset, REFERENCE_SAMPLE_ROWS);
  const features = buildFeatureDefinitions(
    sample.columns.map((column) => ({ name: column.name, typeName: column.typeName })),
    sample.rows,
    { servedFeatures: payloadFeatureNames(samplePayload) },
  );
  if (features.length === 0) return { unavailable: `${dataset} has no column the model is sent` };
  // Another replica may create it at the same moment: the unique key decides, both then read it.
  const created = await db.driftMonitor.upsert({
    where: { namespace_serviceName_modelVersion: { namespace, serviceName: service, modelVersion } },
    create: {
      namespace,
      serviceName: service,
      modelName,
      modelVersion,
      features: features as object[],
      windowMinutes: DEFAULT_WINDOW_MINUTES,
    },
    update: {},
    select: { id: true, features: true, windowMinutes: true },
  });
  return {
    monitor: {
      id: created.id,
      features: featureDefinitionsSchema.parse(created.features),
      windowMinutes: created.windowMinutes,
    },
  };
}

async function trainingDatasetOf(
  deps: MonitorResolverDeps,
  modelName: string,
  modelVersion: string,
): Promise<string | undefined> {
  // A version MLflow does not know (or cannot parse, e.g. "broken-8") has no training data to find.
  const version = await deps.clients.mlflow
    .getModelVersion(modelName, modelVersion)
    .catch((error: unknown) => {
      if (isNotFound(error) || (error instanceof CloudApiError && error.status === 400)) return undefined;
      throw error;
    });
  if (!version?.runId) return undefined;
  const trainingRun = await deps.db.trainingRun.findFirst({
    where: { mlflowRunId: version.runId },
    select: { datasetFullName: true },
  });
  if (trainingRun) return trainingRun.datasetFullName;
  const run = await deps.clients.mlflow.getRun(version.runId);
  const trainingInput = run.datasetInputs.find((input) => input.tags["mlflow.data.context"] === "training");
  const named = run.params.train_table ?? run.params.dataset ?? trainingInput?.dataset.name;
  return named && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(named) ? named : undefined;
}

const isNotFound = (error: unknown) => error instanceof CloudApiError && error.isNotFound;

/** `.../<name>/<version>` (blob paths) or `models:/<name>/<version>`. */
export function modelVersionFromStorageUri(storageUri: string | undefined): string | undefined {
  const segments = storageUri?.replace(/(?<!\/)\/+$/, "").split("/");
  const last = segments?.at(-1);
  return last && segments!.length > 1 ? last : undefined;
}

function modelNameFromStorageUri(storageUri: string | undefined): string | undefined {
  const segments = storageUri?.replace(/(?<!\/)\/+$/, "").split("/");
  return segments && segments.length > 2 ? segments.at(-2) : undefined;
}
