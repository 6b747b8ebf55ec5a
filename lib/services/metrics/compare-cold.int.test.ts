import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartPoints, createMlflowClient, type MlflowClient } from "@/lib/clients/mlflow";
import { createCloudClients } from "@/lib/cloud";
import { cachedPointsPerSeries } from "@/lib/domain/metrics/series-cache";
import { decodeSeries } from "@/lib/domain/metrics/series-codec";
import { startTestStack, workerDeps, type TestStack } from "@/lib/testing/worker-stack";
import { startWorkers } from "@/workers/manager";
import { syncRunMetrics, syncWatchedExperiments } from "@/workers/handlers/metric-sync";
import { handlers } from "@/workers/registry";
import {
  readRunComparison,
  readRunMetricCharts,
  recordExperimentViews,
  requestMetricSyncs,
  searchRunSummaries,
} from "./metric-series";
import { compareQuery } from "@/lib/validation/experiments";

/** Every MLflow call the web and the worker make, as "endpoint run key". */
const calls: string[] = [];
/** When each call ("endpoint run key") was first sent and last answered, in ms. */
const sentAt = new Map<string, number>();
const answeredAt = new Map<string, number>();
/** A run whose bulk-interval answers come this much later (a slow first look). */
const slowSample = { runId: "", ms: 0 };
let stack: TestStack;
let mlflow: MlflowClient;
let experimentId: string;
let worker: ReturnType<typeof startWorkers> | undefined;

const steps = 3000;
const keys = ["loss", "accuracy"];

async function finishedRun(name: string, length = steps, metricKeys = keys, endTime = 1_760_000_100_000) {
  const run = await mlflow.createRun({ experimentId, runName: name, startTime: 1_760_000_000_000 });
  const metrics = metricKeys.flatMap((key, k) =>
    Array.from({ length }, (_, step) => ({
      key,
      value: k ? step / length : 1 / (step + 1) + (step === 1234 ? 5 : 0),
      step,
      timestamp: 1_760_000_000_000 + step,
    })),
  );
  await mlflow.logBatch(run.info.runId, { params: { lr: name }, metrics });
  await mlflow.updateRun(run.info.runId, { status: "FINISHED", endTime });
  return run.info.runId;
}

const callsTo = (endpoint: string, runId?: string, key?: string) =>
  calls.filter((c) => {
    const [e, r, k] = c.split(" ");
    return e === endpoint && (runId === undefined || r === runId) && (key === undefined || k === key);
  }).length;

beforeAll(async () => {
  stack = await startTestStack();
  const countingFetch: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    const runId = url.searchParams.get("run_id") ?? url.searchParams.getAll("run_ids").join("+");
    const call = `${url.pathname.replace("/api/2.0/mlflow/", "")} ${runId || "-"} ${url.searchParams.get("metric_key") ?? "-"}`;
    calls.push(call);
    if (!sentAt.has(call)) sentAt.set(call, performance.now());
    const delay = runId === slowSample.runId && call.includes("bulk-interval") ? slowSample.ms : 0;
    return sleep(delay)
      .then(() => fetch(input, init))
      .finally(() => answeredAt.set(call, performance.now()));
  };
  mlflow = createMlflowClient({
    baseUrl: stack.sandbox.url,
    getToken: async () => stack.sandbox.token,
    fetch: countingFetch,
  });
  experimentId = (await mlflow.ensureExperiment(`/Shared/compare-cold-${stack.config.REDIS_PREFIX}`))
    .experimentId;
});

afterAll(async () => {
  await worker?.close();
  await stack?.close();
});

/** The real worker on the mlflow queue, 4 jobs at a time, for the tests that need one. */
async function startMlflowWorker(deps: ReturnType<typeof workerDeps>) {
  if (worker) return;
  const { Redis } = await import("ioredis");
  const connection = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
  worker = startWorkers({
    connection,
    prefix: stack.config.REDIS_PREFIX,
    handlers,
    deps,
    log: deps.log,
    queues: ["mlflow"],
    concurrency: { mlflow: 4 },
  });
}

describe("a comparison of runs Switchboard has never seen", () => {
  it("shows every run's params and latest metrics at once, from one runs/search", async () => {
    const runIds = [await finishedRun("a", 10), await finishedRun("b", 10)];
    calls.length = 0;
    const summarize = (ids: string[], known: string[]) => searchRunSummaries(mlflow, ids, known);
    const comparison = await readRunComparison(stack.db, compareQuery.parse({ runs: runIds.join(",") }), {
      summarize,
    });
    expect(comparison.pending).toEqual(runIds);
    expect(comparison.runs.map((r) => [r.runName, r.params, r.syncedAt])).toEqual([
      ["a", { lr: "a" }, null],
      ["b", { lr: "b" }, null],
    ]);
    expect(comparison.stats[runIds[1]].accuracy).toEqual({
      last: 0.9,
      min: null,
      max: null,
      lastStep: 9,
      totalPoints: 0,
    });
    expect(comparison.metricKeys).toEqual(["accuracy", "loss"]);
    // The experiment is learnt from one runs/get, then one runs/search finds the rest.
    expect(calls.map((c) => c.split(" ")[0])).toEqual(["runs/get", "runs/search"]);

    // A history shorter than the sample is read whole by that one call: exact and complete at once.
    calls.length = 0;
    const completions: string[] = [];
    const sync = await syncRunMetrics(
      { db: stack.db, mlflow, requestCompletion: async (id) => void completions.push(id) },
      runIds[0],
      { isFinal: false, sampledFirst: true },
    );
    expect(sync).toMatchObject({ keysSampled: 0, keysRebuilt: 2, isComplete: true });
    expect(completions).toEqual([]);
    expect(callsTo("metrics/get-history")).toBe(0);
    const after = await readRunComparison(stack.db, compareQuery.parse({ runs: runIds[0] }));
    expect(after.stats[runIds[0]].loss).toMatchObject({ min: 0.1, max: 1, totalPoints: 10 });
  });

  it("finds runs of an experiment someone just opened by one runs/search, without a runs/get", async () => {
    const runIds = [await finishedRun("c", 10), await finishedRun("d", 10)];
    const otherId = (await mlflow.ensureExperiment(`/Shared/elsewhere-${stack.config.REDIS_PREFIX}`))
      .experimentId;
    await recordExperimentViews(stack.db, [otherId, experimentId]);
    calls.length = 0;
    const summarize = (ids: string[], known: string[]) => searchRunSummaries(mlflow, ids, known);
    const comparison = await readRunComparison(stack.db, compareQuery.parse({ runs: runIds.join(",") }), {
      summarize,
    });
    expect(comparison.runs.map((r) => [r.runName, r.params])).toEqual([
      ["c", { lr: "c" }],
      ["d", { lr: "d" }],
    ]);
    expect(calls.map((c) => c.split(" ")[0])).toEqual(["runs/search"]);
    // Views make experiments watched; the watched-sync test below counts its own.
    await stack.db.watchedExperiment.deleteMany({ where: { experimentId: { in: [otherId, experimentId] } } });
  });

  it("reads each run's history once however many people open and poll the page at once", async () => {
    const runIds = await Promise.all(["r1", "r2", "r3"].map((name) => finishedRun(name)));
    const clients = { ...createCloudClients(stack.config), mlflow };
    const deps = { ...workerDeps(stack), clients };
    await startMlflowWorker(deps);
    calls.length = 0;

    const query = compareQuery.parse({ runs: runIds.join(","), metrics: "loss" });
    const viewer = async () => {
      for (;;) {
        const comparison = await readRunComparison(stack.db, query);
        await requestMetricSyncs(stack.producer, comparison.pending, { sampledFirst: true });
        if (!comparison.pending.length && comparison.runs.every((r) => r.isComplete)) return comparison;
        await sleep(50);
      }
    };
    const [done] = await Promise.all(Array.from({ length: 12 }, viewer));

    for (const runId of runIds) {
      for (const key of keys) {
        // One bounded sample for the first look, then one whole-history read in the background.
        expect(callsTo("metrics/get-history-bulk-interval", runId, key), `${runId} ${key}`).toBe(1);
        expect(callsTo("metrics/get-history", runId, key), `${runId} ${key}`).toBe(1);
      }
      expect(done.stats[runId].loss).toMatchObject({ min: 1 / steps, max: 1 / 1235 + 5, totalPoints: steps });
    }
    expect(Math.max(...decodeSeries(done.series.loss[runIds[0]]).values)).toBeCloseTo(1 / 1235 + 5, 6);
  });

  it("reads no whole history while a first look is still waiting or running", async () => {
    const runIds = await Promise.all(["w1", "w2", "w3", "w4"].map((name) => finishedRun(name)));
    await startMlflowWorker({
      ...workerDeps(stack),
      clients: { ...createCloudClients(stack.config), mlflow },
    });
    calls.length = 0;
    sentAt.clear();
    answeredAt.clear();
    // The last run's first look takes a second: the other three land, and their completions are queued, long before.
    Object.assign(slowSample, { runId: runIds[3], ms: 1000 });
    const query = compareQuery.parse({ runs: runIds.join(","), metrics: "loss" });
    await requestMetricSyncs(stack.producer, runIds, { sampledFirst: true });
    for (;;) {
      const comparison = await readRunComparison(stack.db, query);
      if (!comparison.pending.length && comparison.runs.every((r) => r.isComplete)) break;
      await sleep(20);
    }
    Object.assign(slowSample, { runId: "", ms: 0 });

    const lastSample = Math.max(
      ...[...answeredAt].filter(([call]) => call.includes("bulk-interval")).map(([, at]) => at),
    );
    const wholeReads = [...sentAt].filter(([call]) => call.startsWith("metrics/get-history "));
    const firstWholeRead = Math.min(...wholeReads.map(([, at]) => at));
    expect(wholeReads).toHaveLength(runIds.length * keys.length);
    expect(firstWholeRead).toBeGreaterThanOrEqual(lastSample);
  });

  it("draws a long history on the run page from the copy, a bounded sample first, with no history read in the web process", async () => {
    const runId = await finishedRun("long", 30_000, ["loss"]);
    calls.length = 0;
    expect(await readRunMetricCharts(stack.db, runId, (k) => k)).toEqual({ series: [], isCopying: true });
    expect(calls).toEqual([]);

    const completions: string[] = [];
    const first = await syncRunMetrics(
      { db: stack.db, mlflow, requestCompletion: async (id) => void completions.push(id) },
      runId,
      { isFinal: false, sampledFirst: true },
    );
    expect(first).toMatchObject({ keysSampled: 1, isComplete: false });
    expect(completions).toEqual([runId]);
    expect(callsTo("metrics/get-history")).toBe(0);
    const sampled = await readRunMetricCharts(stack.db, runId, (k) => k);
    expect(sampled.isCopying).toBe(false);
    expect(sampled.series[0].points.length).toBeLessThanOrEqual(chartPoints + 2);
    expect(sampled.series[0].points.at(-1)!.step).toBe(29_999);

    await syncRunMetrics({ db: stack.db, mlflow }, runId, { isFinal: false });
    expect(callsTo("metrics/get-history", runId, "loss")).toBeGreaterThan(0);
    const whole = await readRunMetricCharts(stack.db, runId, (k) => k);
    expect(whole.series[0].points.length).toBeLessThanOrEqual(cachedPointsPerSeries);
    expect(Math.max(...whole.series[0].points.map((p) => p.value))).toBe(1 / 1235 + 5);
  });

  it("copies the runs of watched experiments ahead of time, so comparing runs that ended needs no MLflow call", async () => {
    const watchedId = (await mlflow.ensureExperiment(`/Shared/watched-${stack.config.REDIS_PREFIX}`))
      .experimentId;
    const unwatchedId = (await mlflow.ensureExperiment(`/Shared/unwatched-${stack.config.REDIS_PREFIX}`))
      .experimentId;
    const inExperiment = async (id: string, fn: () => Promise<string>) => {
      const saved = experimentId;
      experimentId = id;
      try {
        return await fn();
      } finally {
        experimentId = saved;
      }
    };
    const ended = [];
    for (const name of ["w1", "w2", "w3"])
      ended.push(await inExperiment(watchedId, () => finishedRun(name, 10, keys, Date.now())));
    const live = (await mlflow.createRun({ experimentId: watchedId, runName: "w-live" })).info.runId;
    await mlflow.logBatch(live, { metrics: [{ key: "loss", value: 1, step: 0 }] });
    const elsewhere = await inExperiment(unwatchedId, () => finishedRun("u1", 10, keys, Date.now()));
    await recordExperimentViews(stack.db, [watchedId]);

    const queued: string[] = [];
    const requestSync = async (id: string, isFinal: boolean) => {
      queued.push(id);
      await syncRunMetrics({ db: stack.db, mlflow }, id, { isFinal });
    };
    calls.length = 0;
    const first = await syncWatchedExperiments({ db: stack.db, mlflow, requestSync }, { watchDays: 14 });
    expect(first.syncsQueued).toBe(4);
    expect(queued.sort()).toEqual([...ended, live].sort());
    expect(queued).not.toContain(elsewhere);

    calls.length = 0;
    const summarize = (ids: string[], known: string[]) => searchRunSummaries(mlflow, ids, known);
    const comparison = await readRunComparison(stack.db, compareQuery.parse({ runs: ended.join(",") }), {
      summarize,
    });
    expect(comparison.pending).toEqual([]);
    expect(comparison.runs.every((r) => r.isComplete)).toBe(true);
    expect(calls).toEqual([]);

    // The next pass lists only what ended since (nothing) and what still runs.
    queued.length = 0;
    calls.length = 0;
    const second = await syncWatchedExperiments({ db: stack.db, mlflow, requestSync }, { watchDays: 14 });
    expect(queued).toEqual([live]);
    expect(second.mlflowCalls).toBe(2);
    expect(callsTo("runs/search")).toBe(2);
  });
});
