import { summariseService } from "@/lib/clients/kserve";
import { errorShareQuery, latencyQuantileQuery } from "@/lib/clients/prometheus/queries";
import type { CloudClients } from "@/lib/cloud";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { registryOf, type ChecklistItem, type Evidence, type PromotionTarget, type VersionEvidence } from "./evidence";

export type EvidenceClients = Pick<CloudClients, "mlflow" | "unityCatalog" | "sql" | "kserve" | "prometheus">;

interface RegisteredVersion {
  version: string;
  runId: string | null;
  registeredAt: number | null;
}

export interface RegistryState {
  /** Newest registered version number, as a string. */
  latestVersion: string;
  incumbent: RegisteredVersion | null;
}

const isNotFound = (error: unknown) => typeof error === "object" && error !== null && "isNotFound" in error && (error as { isNotFound: boolean }).isNotFound === true;

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The version a stage or alias points at now, and the newest version: what staleness compares. */
export async function readRegistryState(mlflow: EvidenceClients["mlflow"], modelName: string, target: PromotionTarget): Promise<RegistryState> {
  if (registryOf(modelName) === "UNITY_CATALOG") {
    let latest = 0;
    for await (const v of mlflow.iterateUcModelVersions(modelName)) latest = Math.max(latest, v.version);
    const incumbent = target.kind === "alias" ? await orNull(() => mlflow.getUcModelVersionByAlias(modelName, target.name)) : null;
    return { latestVersion: String(latest), incumbent: incumbent ? { version: String(incumbent.version), runId: incumbent.runId ?? null, registeredAt: incumbent.createdAt ?? null } : null };
  }
  let latest = 0;
  for await (const v of mlflow.iterateModelVersions({ filter: `name='${modelName.replaceAll("'", "\\'")}'` })) latest = Math.max(latest, Number(v.version));
  const incumbent =
    target.kind === "alias"
      ? await orNull(() => mlflow.getModelVersionByAlias(modelName, target.name))
      : ((await orNull(() => mlflow.getLatestVersions(modelName, [target.name])))?.[0] ?? null);
  return { latestVersion: String(latest), incumbent: incumbent ? { version: incumbent.version, runId: incumbent.runId ?? null, registeredAt: incumbent.creationTimestamp ?? null } : null };
}

async function readVersion(mlflow: EvidenceClients["mlflow"], modelName: string, version: string): Promise<RegisteredVersion> {
  try {
    if (registryOf(modelName) === "UNITY_CATALOG") {
      const v = await mlflow.getUcModelVersion(modelName, Number(version));
      return { version: String(v.version), runId: v.runId ?? null, registeredAt: v.createdAt ?? null };
    }
    const v = await mlflow.getModelVersion(modelName, version);
    return { version: v.version, runId: v.runId ?? null, registeredAt: v.creationTimestamp ?? null };
  } catch (error) {
    if (isNotFound(error)) throw new AppError("NOT_FOUND", `${modelName} has no version ${version}.`);
    throw error;
  }
}

async function describeVersion(mlflow: EvidenceClients["mlflow"], version: RegisteredVersion): Promise<VersionEvidence & { datasetHint: string | null }> {
  const run = version.runId ? await orNull(() => mlflow.getRun(version.runId!)) : null;
  const metrics = Object.fromEntries(Object.entries(run?.metrics ?? {}).map(([key, m]) => [key, m.value]));
  const isTableName = (name: string | undefined): name is string => Boolean(name && name.split(".").length === 3);
  // MLflow dataset inputs first; training jobs that predate them record the table as a param.
  const datasetHint = run?.datasetInputs.map((d) => d.dataset.name).find(isTableName) ?? [run?.params.train_table, run?.params.dataset].find(isTableName) ?? null;
  return {
    version: version.version,
    runId: version.runId,
    runName: run?.info.runName ?? null,
    metrics,
    registeredAt: version.registeredAt ? new Date(version.registeredAt).toISOString() : null,
    datasetHint,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function describeDataset(clients: EvidenceClients, fullName: string | null): Promise<Evidence["dataset"]> {
  if (!fullName) return { fullName: null, upstreams: [], downstreams: [], note: "No training dataset is recorded for the candidate's run." };
  try {
    const lineage = await clients.unityCatalog.getTableLineage(fullName);
    const names = (nodes: typeof lineage.upstreams) => nodes.map((n) => n.table?.fullName ?? n.file?.path).filter((n): n is string => Boolean(n));
    return { fullName, upstreams: names(lineage.upstreams), downstreams: names(lineage.downstreams), note: null };
  } catch (error) {
    return { fullName, upstreams: [], downstreams: [], note: `Lineage unavailable: ${message(error)}` };
  }
}

async function describeValidation(clients: EvidenceClients, fullName: string | null): Promise<Evidence["validation"]> {
  if (!fullName) return { status: "unknown", checks: [], checkedAt: null, note: "No dataset, so no validation results." };
  try {
    const results = await clients.sql.expectationResults(fullName, { limit: 200 });
    if (!results.length) return { status: "unknown", checks: [], checkedAt: null, note: "No validation results are recorded for this dataset." };
    const latestRun = results[0].runId;
    const latest = results.filter((r) => r.runId === latestRun);
    return {
      status: latest.every((r) => r.success) ? "passed" : "failed",
      checks: latest.map((r) => ({ expectation: r.expectationType, column: r.column, success: r.success, observedValue: r.observedValue })),
      checkedAt: results[0].checkedAt,
      note: null,
    };
  } catch (error) {
    return { status: "unknown", checks: [], checkedAt: null, note: `Validation results unavailable: ${message(error)}` };
  }
}

/** The InferenceService name a registered model is served under: its last name part, kebab-cased. */
export const servedNameOf = (modelName: string) => modelName.split(".").at(-1)!.toLowerCase().replace(/[^a-z0-9]+/g, "-");

async function describeLiveHealth(clients: EvidenceClients, db: PrismaClient, modelName: string): Promise<Evidence["liveHealth"]> {
  const unknown = (note: string, serviceName: string | null = null): Evidence["liveHealth"] => ({ status: "unknown", serviceName, p95LatencyMs: null, errorShare: null, driftShare: null, note });
  try {
    const name = servedNameOf(modelName);
    const service = (await clients.kserve.list()).find((s) => s.metadata.name === name);
    if (!service) return unknown("The model is not served, so there is no live health to compare.");
    const summary = summariseService(service);
    const selector = { namespace: summary.namespace, service: summary.name };
    const [latency, errors, drift] = await Promise.all([
      clients.prometheus.query({ query: latencyQuantileQuery(selector, 0.95, { scheme: "knative" }) }),
      clients.prometheus.query({ query: errorShareQuery(selector, { scheme: "knative" })! }),
      db.driftWindowResult.findFirst({ where: { monitor: { namespace: summary.namespace, serviceName: summary.name } }, orderBy: { windowStart: "desc" }, select: { share: true } }),
    ]);
    const finite = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : null);
    const p95 = finite(latency[0]?.value);
    return {
      status: "known",
      serviceName: summary.name,
      p95LatencyMs: p95 === null ? null : Math.round(p95 * 1000 * 10) / 10,
      errorShare: finite(errors[0]?.value),
      driftShare: drift?.share ?? null,
      note: summary.isReady ? null : `The service is not ready: ${summary.failing?.message ?? summary.failing?.reason ?? "unknown reason"}.`,
    };
  } catch (error) {
    return unknown(`Live health unavailable: ${message(error)}`);
  }
}

/**
 * Captures the evidence for promoting `version` to `target`: the candidate's and incumbent's run
 * metrics, training dataset with lineage and validation, and the served model's live health.
 * Registry failures throw (without them there is nothing to decide on); the other parts degrade
 * to "unknown" with a note.
 */
export async function collectEvidence(
  deps: { clients: EvidenceClients; db: PrismaClient; now?: () => Date },
  input: { modelName: string; version: string; target: PromotionTarget; checklist: ChecklistItem[] },
): Promise<Evidence> {
  const { clients, db } = deps;
  const [candidateVersion, state] = await Promise.all([readVersion(clients.mlflow, input.modelName, input.version), readRegistryState(clients.mlflow, input.modelName, input.target)]);
  const [candidate, incumbent] = await Promise.all([describeVersion(clients.mlflow, candidateVersion), state.incumbent ? describeVersion(clients.mlflow, state.incumbent) : null]);
  const trainingRun = candidate.runId ? await db.trainingRun.findFirst({ where: { mlflowRunId: candidate.runId }, select: { datasetFullName: true } }) : null;
  const datasetName = trainingRun?.datasetFullName ?? candidate.datasetHint;
  const [dataset, validation, liveHealth] = await Promise.all([describeDataset(clients, datasetName), describeValidation(clients, datasetName), describeLiveHealth(clients, db, input.modelName)]);
  const strip = ({ datasetHint: _ignored, ...rest }: VersionEvidence & { datasetHint: string | null }): VersionEvidence => rest;
  return {
    capturedAt: (deps.now?.() ?? new Date()).toISOString(),
    candidate: strip(candidate),
    incumbent: incumbent ? strip(incumbent) : null,
    latestVersion: state.latestVersion,
    dataset,
    validation,
    liveHealth,
    checklist: input.checklist,
  };
}
