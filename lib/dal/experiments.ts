import "server-only";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getCloudClients } from "@/lib/cloud";
import { throwCloudError } from "@/lib/cloud-errors";
import type { Run } from "@/lib/clients/mlflow";
import { appendAuditEvent } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getJobProducer } from "@/lib/queue/web-producer";
import { createTtlCache } from "@/lib/cache/ttl-cache";
import {
  readRunComparison,
  recordExperimentViews,
  requestMetricSyncs,
  searchRunSummaries,
  type Comparison,
} from "@/lib/services/metrics/metric-series";
import {
  type CompareQuery,
  type ListExperimentsQuery,
  type SearchRunsQuery,
} from "@/lib/validation/experiments";

export type { Comparison, ComparedRun, MetricSummary } from "@/lib/services/metrics/metric-series";

/** A run still training is re-read at most this often while someone looks at it. */
const refreshAfterMs = 30_000;

const filterHint =
  "Filters look like metrics.rmse < 0.8 AND params.model = 'xgboost' AND tags.team = 'retention'. " +
  "Join conditions with AND (there is no OR), quote strings with single quotes, and put backticks around names with spaces or dashes.";

/** MLflow rejects a filter or order with INVALID_PARAMETER_VALUE; say what it said, plus how filters look. */
const toSearchError = (what: string) => (error: unknown) =>
  throwCloudError(error, what, {
    invalid: (cloud) =>
      new AppError("BAD_REQUEST", `MLflow could not use this search: ${cloud.message}`, {
        details: { hint: filterHint, mlflowErrorCode: cloud.errorCode },
      }),
  });

// ---- experiments ----

/**
 * MLflow's filter strings have no escape character (`\'` and `''` both fail against MLflow 2.22),
 * but take either quote: use the one the text does not contain.
 */
function quoteForFilter(text: string, field: string): string {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  throw new AppError(
    "BAD_REQUEST",
    `${field}: use ' or ", not both (MLflow's search has no way to escape them).`,
  );
}

export async function listExperiments(user: CurrentUser, query: ListExperimentsQuery) {
  assertCan(user, "experiments:read");
  const filter = query.q ? `name LIKE ${quoteForFilter(`%${query.q}%`, "q")}` : undefined;
  const page = await getCloudClients()
    .mlflow.searchExperiments({
      filter,
      maxResults: 100,
      orderBy: ["last_update_time DESC"],
      pageToken: query.pageToken,
    })
    .catch(toSearchError("the experiments"));
  return {
    experiments: page.items.map((e) => ({
      experimentId: e.experimentId,
      name: e.name,
      lastUpdateTime: e.lastUpdateTime ?? null,
      creationTime: e.creationTime ?? null,
      tags: e.tags,
    })),
    nextPageToken: page.nextPageToken ?? null,
  };
}

export async function getExperiment(user: CurrentUser, experimentId: string) {
  assertCan(user, "experiments:read");
  try {
    const e = await getCloudClients().mlflow.getExperiment(experimentId);
    await recordExperimentViews(getDb(), [e.experimentId]).catch((error: unknown) =>
      logger.warn({ err: error }, "could not record the experiment viewed"),
    );
    const watched = await getDb().watchedExperiment.findUnique({
      where: { experimentId: e.experimentId },
      select: { isPinned: true },
    });
    return {
      experimentId: e.experimentId,
      name: e.name,
      lifecycleStage: e.lifecycleStage,
      tags: e.tags,
      isPinned: watched?.isPinned ?? false,
    };
  } catch (error) {
    // MLflow answers INVALID_PARAMETER_VALUE for an id that cannot be one: also "no such experiment".
    const missing = () => new AppError("NOT_FOUND", `No experiment ${experimentId}.`);
    throwCloudError(error, `experiment ${experimentId}`, { notFound: missing, invalid: missing });
  }
}

/**
 * Pins an experiment so the worker copies its runs ahead of time whether or not anyone opened it lately
 * (mlflow.sync-watched, docs/decisions/010), or unpins it. Admins only, audited with what it was; the
 * experiment must exist in MLflow, and setting what is already set changes nothing and records nothing.
 */
export async function setExperimentPinned(user: CurrentUser, experimentId: string, isPinned: boolean) {
  assertCan(user, "admin:manage");
  let name: string;
  try {
    name = (await getCloudClients().mlflow.getExperiment(experimentId)).name;
  } catch (error) {
    const missing = () => new AppError("NOT_FOUND", `No experiment ${experimentId}.`);
    throwCloudError(error, `experiment ${experimentId}`, { notFound: missing, invalid: missing });
  }
  return getDb().$transaction(async (tx) => {
    // Row lock, so two admins toggling at once leave one event per real change.
    await tx.$executeRaw`INSERT INTO watched_experiments (experiment_id, is_pinned) VALUES (${experimentId}, false) ON CONFLICT DO NOTHING`;
    const [{ is_pinned: wasPinned }] = await tx.$queryRaw<{ is_pinned: boolean }[]>`
      SELECT is_pinned FROM watched_experiments WHERE experiment_id = ${experimentId} FOR UPDATE`;
    if (wasPinned !== isPinned) {
      await tx.watchedExperiment.update({ where: { experimentId }, data: { isPinned } });
      await appendAuditEvent(tx, {
        actor: { oid: user.oid, name: user.name },
        action: isPinned ? "experiment.pinned" : "experiment.unpinned",
        entityType: "WatchedExperiment",
        entityId: experimentId,
        before: { isPinned: wasPinned },
        after: { isPinned, name },
      });
    }
    return { experimentId, name, isPinned };
  });
}

// ---- runs table ----

export interface RunRow {
  runId: string;
  runName: string;
  status: string;
  user: string;
  startTime: number | null;
  endTime: number | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

const toRunRow = (run: Run): RunRow => ({
  runId: run.info.runId,
  runName: run.info.runName,
  status: run.info.status,
  user: run.info.userId,
  startTime: run.info.startTime ?? null,
  endTime: run.info.endTime ?? null,
  params: run.params,
  metrics: Object.fromEntries(Object.values(run.metrics).map((m) => [m.key, m.value])),
});

/** MLflow's order_by for a column key: attributes by name, params and metrics quoted with backticks. */
export function toOrderBy(sort: string, dir: "asc" | "desc"): string {
  const [kind, ...rest] = sort.split(".");
  const column =
    kind === "params" || kind === "metrics" ? `${kind}.\`${rest.join(".")}\`` : `attributes.${sort}`;
  return `${column} ${dir.toUpperCase()}`;
}

/** One page of an experiment's runs, filtered and ordered by MLflow itself (runs/search). */
export async function searchExperimentRuns(user: CurrentUser, experimentId: string, query: SearchRunsQuery) {
  assertCan(user, "experiments:read");
  const page = await getCloudClients()
    .mlflow.searchRunsPage({
      experimentIds: [experimentId],
      filter: query.filter || undefined,
      orderBy: query.sort ? [toOrderBy(query.sort, query.dir)] : undefined,
      maxResults: query.pageSize,
      pageToken: query.pageToken,
    })
    .catch(toSearchError(`the runs of experiment ${experimentId}`));
  const runs = page.items.map(toRunRow);
  return {
    runs,
    nextPageToken: page.nextPageToken ?? null,
    /** Keys seen on this page, for the column picker. */
    paramKeys: [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort(),
    metricKeys: [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort(),
  };
}

// ---- comparison ----

/** Summaries of runs not copied yet, shared by every viewer polling the same comparison for a few seconds. */
const pendingSummaries = createTtlCache<Run[]>({ ttlMs: 10_000, maxEntries: 200 });
const terminalStatuses = new Set(["FINISHED", "FAILED", "KILLED"]);

/**
 * Everything the compare page needs. Series come from Switchboard's copy (lib/services/metrics/metric-series.ts),
 * never from a metric history read here. Runs not copied yet show at once with their params and
 * latest metrics (one runs/search) while their copy is asked for, a bounded sample first; runs still
 * training are refreshed now and then while someone looks at them.
 */
export async function getRunComparison(user: CurrentUser, query: CompareQuery): Promise<Comparison> {
  assertCan(user, "experiments:read");
  const mlflow = getCloudClients().mlflow;
  const summarize = (runIds: string[], experimentIds: string[]) =>
    pendingSummaries
      .getOrLoad(runIds.join(","), () => searchRunSummaries(mlflow, runIds, experimentIds))
      .catch((error: unknown) => {
        logger.warn({ err: error, runIds: runIds.length }, "could not read summaries of runs not copied yet");
        return [];
      });
  const db = getDb();
  const comparison = await readRunComparison(db, query, { summarize });
  await recordExperimentViews(
    db,
    comparison.runs.map((r) => r.experimentId),
  ).catch((error: unknown) => logger.warn({ err: error }, "could not record the experiments viewed"));
  const copied = comparison.runs.filter((r) => r.syncedAt !== null);
  const stale = copied
    .filter(
      (r) =>
        !r.isComplete &&
        !terminalStatuses.has(r.status) &&
        Date.now() - Date.parse(r.syncedAt!) > refreshAfterMs,
    )
    .map((r) => r.runId);
  await requestSync(comparison.pending, { sampledFirst: true });
  await requestSync(stale, { sampledFirst: false });
  return comparison;
}

/** A comparison still answers when Redis does not. */
async function requestSync(runIds: string[], options: { sampledFirst: boolean }) {
  if (!runIds.length) return;
  try {
    await requestMetricSyncs(getJobProducer(), runIds, options);
  } catch (error) {
    logger.warn({ err: error, runIds: runIds.length }, "could not enqueue metric syncs for a comparison");
  }
}
