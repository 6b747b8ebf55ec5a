import "server-only";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { createTtlCache } from "@/lib/cache/ttl-cache";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getCloudClients } from "@/lib/cloud";
import { collect } from "@/lib/clients/http";
import { describeCloudError, isCloudApiError, throwCloudError } from "@/lib/cloud-errors";
import { getDb, Prisma, type PrismaClient } from "@/lib/db/client";
import { newRunRecord } from "@/lib/domain/training/launch";
import { type LaunchRunInput } from "@/lib/validation/runs";
import { isTerminalStatus } from "@/lib/domain/training/run-status";
import { appendAuditEvent } from "@/lib/db/audit";
import { findVersionPromotions } from "@/lib/db/promotions";
import { assertServiceExists } from "@/lib/dal/features";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { JobProducer } from "@/lib/queue/producer";
import { getJobProducer } from "@/lib/queue/web-producer";
import { jobIds } from "@/lib/queue/job-ids";
import {
  readRunMetricCharts,
  requestMetricSyncs,
  type MetricChart,
} from "@/lib/services/metrics/metric-series";
import { type ListRunsQuery } from "@/lib/validation/runs";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const listSelect = {
  id: true,
  runName: true,
  kind: true,
  status: true,
  experimentName: true,
  datasetFullName: true,
  modelFamily: true,
  epochsDone: true,
  epochsTotal: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  cancelRequestedAt: true,
  launchedBy: { select: { name: true } },
} satisfies Prisma.TrainingRunSelect;

function toListItem(run: Prisma.TrainingRunGetPayload<{ select: typeof listSelect }>) {
  return {
    id: run.id,
    runName: run.runName,
    kind: run.kind,
    status: run.status,
    experimentName: run.experimentName,
    datasetFullName: run.datasetFullName,
    modelFamily: run.modelFamily,
    epochsDone: run.epochsDone,
    epochsTotal: run.epochsTotal,
    launchedByName: run.launchedBy.name,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    isCancelRequested: run.cancelRequestedAt !== null,
  };
}
export type RunListItem = ReturnType<typeof toListItem>;

function decodeCursor(after: string | undefined): { at: string; id: string } | undefined {
  if (!after) return undefined;
  const [createdAt, id] = after.split("|");
  const at = new Date(createdAt);
  // Only a time PostgreSQL can compare with (JavaScript dates reach the year 275760).
  const isStorable = at.getUTCFullYear() >= 1970 && at.getUTCFullYear() <= 9999;
  if (!isStorable || !z.uuid().safeParse(id).success)
    throw new AppError("BAD_REQUEST", "after: not a cursor from this list");
  return { at: at.toISOString(), id };
}

const isoSql = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

type RunsPage = { runs: RunListItem[]; nextAfter: string | null };

/**
 * Identical list queries within a second share one read: every open runs page polls the list, and
 * per request the database round trip was most of the route's cost over Next's own (docs/benchmarks.md).
 */
export function createRunsLister(db: () => PrismaClient, ttlMs = 1_000, now = Date.now) {
  const pages = createTtlCache<RunsPage>({ ttlMs, maxEntries: 500, now });
  return (query: ListRunsQuery, userId: string) =>
    pages.getOrLoad(
      JSON.stringify([
        query.limit,
        query.status,
        query.experimentName,
        query.mine ? userId : null,
        query.after,
      ]),
      () => readRunsPage(db(), query, userId),
    );
}
const listRunsCached = createRunsLister(getDb);

/** Newest first, keyset-paged on (createdAt, id) so deep pages cost the same as the first; at most a second old. */
export async function listRuns(user: CurrentUser, query: ListRunsQuery): Promise<RunsPage> {
  assertCan(user, "runs:read");
  return listRunsCached(query, user.id);
}

/**
 * One SQL statement with the launcher's name joined and dates formatted by PostgreSQL: Prisma's
 * relation query made a second round trip and mapped every row through its query interpreter.
 */
export async function readRunsPage(
  db: PrismaClient,
  query: ListRunsQuery,
  userId: string,
): Promise<RunsPage> {
  const cursor = decodeCursor(query.after);
  const conditions = [
    query.status ? Prisma.sql`r.status = ${query.status}::"RunStatus"` : undefined,
    query.experimentName !== undefined ? Prisma.sql`r.experiment_name = ${query.experimentName}` : undefined,
    query.mine ? Prisma.sql`r.launched_by_id = ${userId}` : undefined,
    cursor
      ? Prisma.sql`(r.created_at, r.id) < ((${cursor.at}::timestamptz AT TIME ZONE 'UTC'), ${cursor.id}::uuid)`
      : undefined,
  ].filter((c): c is Prisma.Sql => c !== undefined);
  const runs = await db.$queryRaw<RunListItem[]>`
    SELECT r.id::text AS "id", r.run_name AS "runName", r.kind::text AS "kind", r.status::text AS "status", r.experiment_name AS "experimentName",
      r.dataset_full_name AS "datasetFullName", r.model_family AS "modelFamily", r.epochs_done AS "epochsDone", r.epochs_total AS "epochsTotal",
      u.name AS "launchedByName", ${isoSql(Prisma.sql`r.created_at`)} AS "createdAt", ${isoSql(Prisma.sql`r.started_at`)} AS "startedAt",
      ${isoSql(Prisma.sql`r.finished_at`)} AS "finishedAt", r.cancel_requested_at IS NOT NULL AS "isCancelRequested"
    FROM training_runs r JOIN users u ON u.id = r.launched_by_id
    ${conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty}
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT ${query.limit}`;
  const last = runs.at(-1);
  return { runs, nextAfter: runs.length === query.limit && last ? `${last.createdAt}|${last.id}` : null };
}

const detailSelect = {
  ...listSelect,
  experimentId: true,
  params: true,
  clusterSpec: true,
  featureService: true,
  timeoutSeconds: true,
  estimatedDbuPerHour: true,
  databricksRunId: true,
  databricksRunUrl: true,
  mlflowRunId: true,
  lifeCycleState: true,
  resultState: true,
  stateMessage: true,
  errorMessage: true,
  errorTrace: true,
  launchedById: true,
  events: {
    select: { id: true, status: true, lifeCycleState: true, resultState: true, message: true, at: true },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  },
} satisfies Prisma.TrainingRunSelect;

/** The runs a person may cancel: anyone's with `runs:cancel-any`, else only those they launched. */
export function cancellableRunScope(user: CurrentUser, runId: string): Prisma.TrainingRunWhereInput {
  return can(user, "runs:cancel-any") ? { id: runId } : { id: runId, launchedById: user.id };
}

export function canCancelRun(user: CurrentUser, launchedById: string): boolean {
  return can(user, "runs:cancel-any") || (can(user, "runs:cancel") && user.id === launchedById);
}

export async function getRun(user: CurrentUser, runId: string) {
  assertCan(user, "runs:read");
  if (!z.uuid().safeParse(runId).success) throw new AppError("NOT_FOUND", "No such run.");
  const run = await getDb().trainingRun.findUnique({ where: { id: runId }, select: detailSelect });
  if (!run) throw new AppError("NOT_FOUND", "No such run.");
  return {
    ...toListItem(run),
    experimentId: run.experimentId,
    params: run.params as Record<string, string | number>,
    cluster: run.clusterSpec as LaunchRunInput["cluster"] & {
      registeredModelName?: string;
      extraArguments?: string;
    },
    featureService: run.featureService,
    timeoutSeconds: run.timeoutSeconds,
    estimatedDbuPerHour: run.estimatedDbuPerHour,
    databricksRunId: run.databricksRunId?.toString() ?? null,
    databricksRunUrl: run.databricksRunUrl,
    mlflowRunId: run.mlflowRunId,
    lifeCycleState: run.lifeCycleState,
    resultState: run.resultState,
    stateMessage: run.stateMessage,
    errorMessage: run.errorMessage,
    errorTrace: run.errorTrace,
    isTerminal: isTerminalStatus(run.status),
    canCancel: !isTerminalStatus(run.status) && canCancelRun(user, run.launchedById),
    events: run.events.map((e) => ({
      id: e.id.toString(),
      status: e.status,
      lifeCycleState: e.lifeCycleState,
      resultState: e.resultState,
      message: e.message,
      at: e.at.toISOString(),
    })),
  };
}
export type RunDetail = Awaited<ReturnType<typeof getRun>>;

async function enqueueQuietly(run: { id: string }, enqueue: (producer: JobProducer) => Promise<void>) {
  try {
    await enqueue(getJobProducer());
  } catch (error) {
    // The row is already saved: the reconciler finds its missing job within a couple of minutes.
    logger.warn({ err: error, runId: run.id }, "could not enqueue; the reconciler will");
  }
}

/** The dataset must be a table Unity Catalog knows (and the caller's token can see). */
async function assertTableExists(fullName: string) {
  try {
    await getCloudClients().unityCatalog.getTable(fullName);
  } catch (error) {
    // A table the service principal may not see is, to the person launching, no table at all.
    const noSuchTable = () =>
      new AppError("BAD_REQUEST", `datasetFullName: ${fullName} is not a table in Unity Catalog`, {
        details: [{ path: ["datasetFullName"], message: "No such table in Unity Catalog" }],
      });
    throwCloudError(error, `the table ${fullName}`, { notFound: noSuchTable, forbidden: noSuchTable });
  }
}

/** Row first (QUEUED), then the submit job whose id is the row's: nothing is submitted without a record. */
export async function launchRun(user: CurrentUser, input: LaunchRunInput) {
  assertCan(user, "runs:launch");
  await assertTableExists(input.datasetFullName);
  if (input.featureService) await assertServiceExists(user, input.featureService);
  const id = crypto.randomUUID();
  const run = await getDb().$transaction(async (tx) => {
    const created = await tx.trainingRun.create({
      data: newRunRecord(id, input, user),
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      actor: { oid: user.oid, name: user.name },
      action: "run.launched",
      entityType: "TrainingRun",
      entityId: id,
      after: {
        runName: input.runName,
        dataset: input.datasetFullName,
        modelFamily: input.modelFamily,
        ...(input.featureService ? { featureService: input.featureService } : {}),
      },
    });
    return created;
  });
  await enqueueQuietly(run, (producer) =>
    producer.enqueue("databricks.submit-run", { runId: run.id }, { jobId: jobIds.submitRun(run.id) }),
  );
  return { id: run.id };
}

/** Asks for a cancel; the worker ends an unsubmitted run at once or cancels the Databricks run. */
export async function requestCancel(user: CurrentUser, runId: string) {
  assertCan(user, "runs:cancel");
  if (!z.uuid().safeParse(runId).success) throw new AppError("NOT_FOUND", "No such run.");
  const db = getDb();
  const run = await db.trainingRun.findFirst({
    where: cancellableRunScope(user, runId),
    select: { id: true, status: true, cancelRequestedAt: true },
  });
  if (!run) throw new AppError("NOT_FOUND", "No such run, or it is not yours to cancel.");
  if (isTerminalStatus(run.status))
    throw new AppError(
      "CONFLICT",
      `The run has already ended (${run.status.toLowerCase().replace("_", " ")}).`,
    );
  if (!run.cancelRequestedAt) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.trainingRun.updateMany({
        where: { id: runId, cancelRequestedAt: null },
        data: { cancelRequestedAt: new Date() },
      });
      if (count)
        await appendAuditEvent(tx, {
          actor: { oid: user.oid, name: user.name },
          action: "run.cancel-requested",
          entityType: "TrainingRun",
          entityId: runId,
          before: { status: run.status },
        });
    });
  }
  await enqueueQuietly(run, (producer) =>
    producer.enqueue("databricks.cancel-run", { runId }, { jobId: jobIds.cancelRun(runId, "requested") }),
  );
  return { id: runId, isCancelRequested: true };
}

export type { MetricChart as MetricSeriesDto } from "@/lib/services/metrics/metric-series";

/** Keys worth a chart, in order; others follow alphabetically. */
const preferredMetricKeys = [
  "loss",
  "val_loss",
  "eval_loss",
  "auc",
  "accuracy",
  "f1",
  "perplexity",
  "learning_rate",
];
const maxChartKeys = 4;

/**
 * The run's latest metrics with a short history each, from Switchboard's copy. Until the copy exists
 * (`isCopying`) the worker is asked for it, a bounded sample first, and the page polls.
 */
export async function getRunMetrics(
  user: CurrentUser,
  runId: string,
): Promise<{ series: MetricChart[]; isCopying: boolean }> {
  assertCan(user, "runs:read");
  if (!z.uuid().safeParse(runId).success) throw new AppError("NOT_FOUND", "No such run.");
  const db = getDb();
  const run = await db.trainingRun.findUnique({ where: { id: runId }, select: { mlflowRunId: true } });
  if (!run) throw new AppError("NOT_FOUND", "No such run.");
  if (!run.mlflowRunId) return { series: [], isCopying: false };
  const charts = await readRunMetricCharts(db, run.mlflowRunId, pickKeys);
  if (charts.isCopying) {
    await requestMetricSyncs(getJobProducer(), [run.mlflowRunId], { sampledFirst: true }).catch(
      (error: unknown) => logger.warn({ err: error }, "could not ask for the metric copy of a run"),
    );
  }
  return charts;
}

function pickKeys(keys: string[]): string[] {
  const rank = (key: string) => {
    const index = preferredMetricKeys.indexOf(key);
    return index === -1 ? preferredMetricKeys.length : index;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, maxChartKeys);
}

/** Tables and experiments the launch form offers, read from Unity Catalog and MLflow (cached for a minute). */
let launchOptionsCache: { at: number; value: Promise<LaunchOptions> } | undefined;
export interface LaunchOptions {
  tables: { fullName: string; tableType: string; comment: string | null }[];
  experiments: { id: string; name: string }[];
}

export async function getLaunchOptions(user: CurrentUser): Promise<LaunchOptions> {
  assertCan(user, "runs:launch");
  if (!launchOptionsCache || Date.now() - launchOptionsCache.at > 60_000) {
    const value = readLaunchOptions();
    launchOptionsCache = { at: Date.now(), value };
    value.catch(() => {
      if (launchOptionsCache?.value === value) launchOptionsCache = undefined;
    });
  }
  return launchOptionsCache.value;
}

async function readLaunchOptions(): Promise<LaunchOptions> {
  const { unityCatalog, mlflow } = getCloudClients();
  const readTables = async () => {
    const tables: LaunchOptions["tables"] = [];
    for (const catalog of await collect(unityCatalog.iterateCatalogs(), 50)) {
      for (const schema of await collect(unityCatalog.iterateSchemas(catalog.name), 200)) {
        for (const table of await collect(
          unityCatalog.iterateTables(catalog.name, schema.name, { omitColumns: true }),
          1_000,
        )) {
          tables.push({
            fullName: table.fullName,
            tableType: table.tableType,
            comment: table.comment ?? null,
          });
        }
      }
    }
    return tables.sort((a, b) => a.fullName.localeCompare(b.fullName));
  };
  const readExperiments = async () => {
    const experiments = await collect(
      mlflow.iterateExperiments({ filter: "name LIKE '/Shared/%'", maxResults: 200 }),
      500,
    );
    return experiments
      .map((e) => ({ id: e.experimentId, name: e.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  };
  const [tables, experiments] = await Promise.all([readTables(), readExperiments()]);
  return { tables, experiments };
}

export interface RunLineage {
  /** The model versions MLflow registered from this run, each with its promotions and rollouts. */
  versions: {
    name: string;
    version: string;
    stage: string;
    aliases: string[];
    promotions: { id: string; status: string; target: string }[];
    deployments: { id: string; action: string; status: string; namespace: string; serviceName: string }[];
  }[];
  /** Set when the registry could not be read; the rest of the page still shows. */
  registryError: string | null;
}

/** Where a run went next: registry versions from its MLflow run, their promotion requests and deployments. */
export async function getRunLineage(user: CurrentUser, runId: string): Promise<RunLineage> {
  assertCan(user, "runs:read");
  if (!z.uuid().safeParse(runId).success) throw new AppError("NOT_FOUND", "No such run.");
  const db = getDb();
  const run = await db.trainingRun.findUnique({ where: { id: runId }, select: { mlflowRunId: true } });
  if (!run) throw new AppError("NOT_FOUND", "No such run.");
  if (!run.mlflowRunId) return { versions: [], registryError: null };
  let found;
  try {
    // MLflow's search filter takes a quoted run id; ours are hex, the replace only guards the quoting.
    found = (
      await getCloudClients().mlflow.searchModelVersions({
        filter: `run_id = '${run.mlflowRunId.replaceAll("'", "")}'`,
        maxResults: 50,
      })
    ).items;
  } catch (error) {
    if (!isCloudApiError(error)) throw error;
    return {
      versions: [],
      registryError: describeCloudError(error, "the model versions registered from this run"),
    };
  }
  const pairs = found.map((v) => ({ modelName: v.name, version: v.version }));
  const [promotions, deployments] = pairs.length
    ? await Promise.all([
        can(user, "promotions:read") ? findVersionPromotions(db, pairs, 50) : [],
        can(user, "monitoring:read")
          ? db.deployment.findMany({
              where: { OR: pairs.map((p) => ({ modelName: p.modelName, modelVersion: p.version })) },
              orderBy: { createdAt: "desc" },
              take: 50,
              select: {
                id: true,
                action: true,
                status: true,
                namespace: true,
                serviceName: true,
                modelName: true,
                modelVersion: true,
              },
            })
          : [],
      ])
    : [[], []];
  return {
    versions: found.map((v) => ({
      name: v.name,
      version: v.version,
      stage: v.currentStage,
      aliases: v.aliases,
      promotions: promotions
        .filter((p) => p.modelName === v.name && p.version === v.version)
        .map((p) => ({ id: p.id, status: p.status, target: p.target })),
      deployments: deployments
        .filter((d) => d.modelName === v.name && d.modelVersion === v.version)
        .map((d) => ({
          id: d.id,
          action: d.action,
          status: d.status,
          namespace: d.namespace,
          serviceName: d.serviceName,
        })),
    })),
    registryError: null,
  };
}
