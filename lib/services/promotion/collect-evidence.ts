import { summariseService } from "@/lib/clients/kserve";
import { errorShareQuery, latencyQuantileQuery } from "@/lib/clients/prometheus/queries";
import type { CloudClients } from "@/lib/cloud";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import {
  registryOf,
  type Evidence,
  type PromotionTarget,
  type VersionEvidence,
} from "@/lib/domain/promotion/evidence";
import { policyTargetOf } from "@/lib/domain/promotion/policy";

export type EvidenceClients = Pick<CloudClients, "mlflow" | "unityCatalog" | "sql" | "kserve" | "prometheus">;

interface RegisteredVersion {
  version: string;
  runId: string | null;
  registeredAt: number | null;
  tags: Record<string, string>;
}

export interface RegistryState {
  /** Newest registered version number, as a string. */
  latestVersion: string;
  /** What a candidate is compared with (see `comparisonTargets`), and where it was found. */
  incumbent: (RegisteredVersion & { heldTarget: string }) | null;
  /** The version holding the target itself; null when the target is empty. */
  targetHolder: string | null;
}

/**
 * Where the incumbent is looked for, in order: the target, then the target above it when the target
 * is empty (Staging compares with Production; a non-production alias with @champion).
 */
export function comparisonTargets(target: PromotionTarget): PromotionTarget[] {
  if (target.kind === "stage")
    return target.name === "Staging" ? [target, { kind: "stage", name: "Production" }] : [target];
  return target.name === "champion" ? [target] : [target, { kind: "alias", name: "champion" }];
}

const isNotFound = (error: unknown) =>
  typeof error === "object" &&
  error !== null &&
  "isNotFound" in error &&
  (error as { isNotFound: boolean }).isNotFound === true;

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function holderOf(
  mlflow: EvidenceClients["mlflow"],
  modelName: string,
  target: PromotionTarget,
): Promise<RegisteredVersion | null> {
  if (registryOf(modelName) === "UNITY_CATALOG") {
    if (target.kind !== "alias") return null;
    const v = await mlflow.findUcModelVersionByAlias(modelName, target.name);
    return v
      ? { version: String(v.version), runId: v.runId ?? null, registeredAt: v.createdAt ?? null, tags: {} }
      : null;
  }
  const v =
    target.kind === "alias"
      ? await mlflow.findModelVersionByAlias(modelName, target.name)
      : ((await orNull(() => mlflow.getLatestVersions(modelName, [target.name])))?.[0] ?? null);
  return v
    ? { version: v.version, runId: v.runId ?? null, registeredAt: v.creationTimestamp ?? null, tags: v.tags }
    : null;
}

/** The incumbent a candidate is compared with, and the newest version: what staleness compares. */
export async function readRegistryState(
  mlflow: EvidenceClients["mlflow"],
  modelName: string,
  target: PromotionTarget,
): Promise<RegistryState> {
  let latest = 0;
  if (registryOf(modelName) === "UNITY_CATALOG")
    for await (const v of mlflow.iterateUcModelVersions(modelName)) latest = Math.max(latest, v.version);
  else
    for await (const v of mlflow.iterateModelVersions({
      filter: `name='${modelName.replaceAll("'", "\\'")}'`,
    }))
      latest = Math.max(latest, Number(v.version));
  let incumbent: RegistryState["incumbent"] = null;
  let targetHolder: string | null = null;
  for (const [index, where] of comparisonTargets(target).entries()) {
    const holder = await holderOf(mlflow, modelName, where);
    if (index === 0) targetHolder = holder?.version ?? null;
    if (holder) {
      incumbent = { ...holder, heldTarget: policyTargetOf(where) };
      break;
    }
  }
  return { latestVersion: String(latest), incumbent, targetHolder };
}

export async function readRegisteredVersion(
  mlflow: EvidenceClients["mlflow"],
  modelName: string,
  version: string,
): Promise<RegisteredVersion> {
  try {
    if (registryOf(modelName) === "UNITY_CATALOG") {
      const v = await mlflow.getUcModelVersion(modelName, Number(version));
      return {
        version: String(v.version),
        runId: v.runId ?? null,
        registeredAt: v.createdAt ?? null,
        tags: {},
      };
    }
    const v = await mlflow.getModelVersion(modelName, version);
    return {
      version: v.version,
      runId: v.runId ?? null,
      registeredAt: v.creationTimestamp ?? null,
      tags: v.tags,
    };
  } catch (error) {
    if (isNotFound(error)) throw new AppError("NOT_FOUND", `${modelName} has no version ${version}.`);
    throw error;
  }
}

type Run = Awaited<ReturnType<EvidenceClients["mlflow"]["getRun"]>>;

async function describeVersion(
  mlflow: EvidenceClients["mlflow"],
  version: RegisteredVersion,
): Promise<VersionEvidence & { datasetHint: string | null; run: Run | null }> {
  const run = version.runId ? await orNull(() => mlflow.getRun(version.runId!)) : null;
  const metrics = Object.fromEntries(Object.entries(run?.metrics ?? {}).map(([key, m]) => [key, m.value]));
  const isTableName = (name: string | undefined): name is string =>
    Boolean(name && name.split(".").length === 3);
  // MLflow dataset inputs first; training jobs that predate them record the table as a param.
  const datasetHint =
    run?.datasetInputs.map((d) => d.dataset.name).find(isTableName) ??
    [run?.params.train_table, run?.params.dataset].find(isTableName) ??
    null;
  return {
    version: version.version,
    runId: version.runId,
    runName: run?.info.runName ?? null,
    metrics,
    registeredAt: version.registeredAt ? new Date(version.registeredAt).toISOString() : null,
    datasetHint,
    run,
  };
}

const evaluationContexts = new Set(["eval", "evaluation", "test", "validation", "holdout"]);
const evaluationRowKeys = ["eval_rows", "evaluation_rows", "num_eval_rows", "n_eval"];

/**
 * How many rows the candidate was evaluated on: an MLflow dataset input logged with context
 * eval/test/validation (tag `mlflow.data.context`) whose profile has `num_rows` (what MLflow's
 * pandas/Spark datasets write), else a metric or param named like `eval_rows`.
 */
export function evaluationRowsOf(run: Run | null): Evidence["evaluation"] {
  for (const input of run?.datasetInputs ?? []) {
    const context = input.tags["mlflow.data.context"]?.toLowerCase();
    if (!context || !evaluationContexts.has(context) || !input.dataset.profile) continue;
    try {
      const rows = (JSON.parse(input.dataset.profile) as { num_rows?: unknown }).num_rows;
      if (typeof rows === "number" && Number.isFinite(rows))
        return { rows, source: `dataset ${input.dataset.name} (${context})` };
    } catch {
      // A profile that is not JSON says nothing about size; try the next input.
    }
  }
  for (const key of evaluationRowKeys) {
    const value =
      run?.metrics[key]?.value ?? (run?.params[key] === undefined ? undefined : Number(run.params[key]));
    if (value !== undefined && Number.isFinite(value))
      return { rows: value, source: `${run?.metrics[key] ? "metric" : "param"} ${key}` };
  }
  return { rows: null, source: null };
}

/**
 * Model card and fairness check, by convention as tags on the version or its run: `model_card`
 * (a link or path; present is enough) and `fairness_check` ("passed", "failed", or a link to a report).
 */
export function artifactsOf(versionTags: Record<string, string>, run: Run | null): Evidence["artifacts"] {
  const tag = (key: string) => versionTags[key] || run?.tags[key] || null;
  const card = tag("model_card");
  const fairness = tag("fairness_check");
  const failed = fairness !== null && /^fail/i.test(fairness);
  return {
    modelCard: card
      ? { status: "passed", detail: `Model card: ${card}` }
      : { status: "missing", detail: "No model_card tag on the version or its run." },
    fairnessCheck: !fairness
      ? { status: "missing", detail: "No fairness_check tag on the version or its run." }
      : { status: failed ? "failed" : "passed", detail: `Fairness check: ${fairness}` },
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function describeDataset(
  clients: EvidenceClients,
  fullName: string | null,
): Promise<Evidence["dataset"]> {
  if (!fullName)
    return {
      fullName: null,
      upstreams: [],
      downstreams: [],
      note: "No training dataset is recorded for the candidate's run.",
    };
  try {
    const lineage = await clients.unityCatalog.getTableLineage(fullName);
    const names = (nodes: typeof lineage.upstreams) =>
      nodes.map((n) => n.table?.fullName ?? n.file?.path).filter((n): n is string => Boolean(n));
    return {
      fullName,
      upstreams: names(lineage.upstreams),
      downstreams: names(lineage.downstreams),
      note: null,
    };
  } catch (error) {
    return { fullName, upstreams: [], downstreams: [], note: `Lineage unavailable: ${message(error)}` };
  }
}

async function describeValidation(
  clients: EvidenceClients,
  fullName: string | null,
): Promise<Evidence["validation"]> {
  if (!fullName)
    return { status: "unknown", checks: [], checkedAt: null, note: "No dataset, so no validation results." };
  try {
    const results = await clients.sql.expectationResults(fullName, { limit: 200 });
    if (!results.length)
      return {
        status: "unknown",
        checks: [],
        checkedAt: null,
        note: "No validation results are recorded for this dataset.",
      };
    const latestRun = results[0].runId;
    const latest = results.filter((r) => r.runId === latestRun);
    return {
      status: latest.every((r) => r.success) ? "passed" : "failed",
      checks: latest.map((r) => ({
        expectation: r.expectationType,
        column: r.column,
        success: r.success,
        observedValue: r.observedValue,
      })),
      checkedAt: results[0].checkedAt,
      note: null,
    };
  } catch (error) {
    return {
      status: "unknown",
      checks: [],
      checkedAt: null,
      note: `Validation results unavailable: ${message(error)}`,
    };
  }
}

/** The InferenceService name a registered model is served under: its last name part, kebab-cased. */
export const servedNameOf = (modelName: string) =>
  modelName
    .split(".")
    .at(-1)!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");

async function describeLiveHealth(
  clients: EvidenceClients,
  db: PrismaClient,
  modelName: string,
): Promise<Evidence["liveHealth"]> {
  const unknown = (note: string, serviceName: string | null = null): Evidence["liveHealth"] => ({
    status: "unknown",
    serviceName,
    p95LatencyMs: null,
    errorShare: null,
    driftShare: null,
    note,
  });
  try {
    const name = servedNameOf(modelName);
    const service = (await clients.kserve.list()).find((s) => s.metadata.name === name);
    if (!service) return unknown("The model is not served, so there is no live health to compare.");
    const summary = summariseService(service);
    const selector = { namespace: summary.namespace, service: summary.name };
    const [latency, errors, drift] = await Promise.all([
      clients.prometheus.query({ query: latencyQuantileQuery(selector, 0.95, { scheme: "knative" }) }),
      clients.prometheus.query({ query: errorShareQuery(selector, { scheme: "knative" })! }),
      db.driftWindowResult.findFirst({
        where: { monitor: { namespace: summary.namespace, serviceName: summary.name } },
        orderBy: { windowStart: "desc" },
        select: { share: true },
      }),
    ]);
    const finite = (value: number | undefined) =>
      value !== undefined && Number.isFinite(value) ? value : null;
    const p95 = finite(latency[0]?.value);
    return {
      status: "known",
      serviceName: summary.name,
      p95LatencyMs: p95 === null ? null : Math.round(p95 * 1000 * 10) / 10,
      errorShare: finite(errors[0]?.value),
      driftShare: drift?.share ?? null,
      note: summary.isReady
        ? null
        : `The service is not ready: ${summary.failing?.message ?? summary.failing?.reason ?? "unknown reason"}.`,
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
  input: { modelName: string; version: string; target: PromotionTarget },
): Promise<Evidence> {
  const { clients, db } = deps;
  const [candidateVersion, state] = await Promise.all([
    readRegisteredVersion(clients.mlflow, input.modelName, input.version),
    readRegistryState(clients.mlflow, input.modelName, input.target),
  ]);
  const [candidate, incumbent] = await Promise.all([
    describeVersion(clients.mlflow, candidateVersion),
    state.incumbent ? describeVersion(clients.mlflow, state.incumbent) : null,
  ]);
  const trainingRun = candidate.runId
    ? await db.trainingRun.findFirst({
        where: { mlflowRunId: candidate.runId },
        select: { datasetFullName: true },
      })
    : null;
  const datasetName = trainingRun?.datasetFullName ?? candidate.datasetHint;
  const [dataset, validation, liveHealth] = await Promise.all([
    describeDataset(clients, datasetName),
    describeValidation(clients, datasetName),
    describeLiveHealth(clients, db, input.modelName),
  ]);
  const strip = ({
    datasetHint: _hint,
    run: _run,
    ...rest
  }: VersionEvidence & { datasetHint: string | null; run: Run | null }): VersionEvidence => rest;
  return {
    capturedAt: (deps.now?.() ?? new Date()).toISOString(),
    candidate: strip(candidate),
    incumbent:
      incumbent && state.incumbent ? { ...strip(incumbent), heldTarget: state.incumbent.heldTarget } : null,
    latestVersion: state.latestVersion,
    dataset,
    validation,
    liveHealth,
    evaluation: evaluationRowsOf(candidate.run),
    artifacts: artifactsOf(candidateVersion.tags, candidate.run),
  };
}
