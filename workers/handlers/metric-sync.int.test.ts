import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMlflowClient, type MlflowClient } from "@/lib/clients/mlflow";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import {
  buildCachedSeries,
  cachedPointsPerSeries,
  parsePgArrayText,
} from "@/lib/domain/metrics/series-cache";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { syncRunMetrics, windowSteps } from "./metric-sync";

let sandbox: RunningSandbox;
let database: TestDatabase;
let db: PrismaClient;
let mlflow: MlflowClient;
let experimentId: string;
const calls: string[] = [];

/** A noisy decaying loss with one spike, so losing the true maximum would show. */
const lossAt = (step: number) => (step === 1234 ? 50 : 2 * Math.exp(-step / 900) + 0.05 * Math.sin(step / 7));
const baseTime = 1_760_000_000_000;

async function logSteps(runId: string, keys: string[], from: number, to: number) {
  const metrics = keys.flatMap((key) =>
    Array.from({ length: to - from }, (_, i) => ({
      key,
      value: lossAt(from + i),
      step: from + i,
      timestamp: baseTime + (from + i) * 1000,
    })),
  );
  await mlflow.logBatch(runId, { metrics });
}

async function wholeHistory(runId: string, key: string) {
  const points = [];
  for await (const m of mlflow.iterateMetricHistory(runId, key))
    points.push({ step: m.step, timestamp: m.timestamp, value: m.value });
  return points;
}

async function cachedRow(runId: string, key: string) {
  const [row] = await db.$queryRaw<
    Array<{
      steps: string;
      timestamps: string;
      values: string;
      total_points: number;
      last_step: string;
      max_value: number;
      is_complete: boolean;
    }>
  >`
    SELECT steps::text, timestamps::text, values::text, total_points, last_step::text, max_value, is_complete FROM metric_series WHERE mlflow_run_id = ${runId} AND key = ${key}`;
  return {
    steps: parsePgArrayText(row.steps),
    timestamps: parsePgArrayText(row.timestamps),
    values: parsePgArrayText(row.values),
    totalPoints: row.total_points,
    lastStep: Number(row.last_step),
    maxValue: row.max_value,
    isComplete: row.is_complete,
  };
}

beforeAll(async () => {
  sandbox = await startSandbox();
  database = await createTestDatabase("metric_sync_test");
  db = createPrismaClient(database.url);
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(new URL(String(input)).pathname.replace("/api/2.0/mlflow/", ""));
    return fetch(input, init);
  };
  mlflow = createMlflowClient({
    baseUrl: sandbox.url,
    getToken: async () => sandbox.token,
    fetch: countingFetch,
  });
  experimentId = (await mlflow.ensureExperiment(`metric-sync-${database.name}`)).experimentId;
});

afterAll(async () => {
  await db?.$disconnect();
  await sandbox?.close();
  await database?.drop();
});

describe("syncRunMetrics against the sandbox MLflow", () => {
  it("copies a running run, then merges only new steps, exactly as a rebuild from the whole history would", async () => {
    const run = await mlflow.createRun({ experimentId, runName: "sync-grow" });
    const runId = run.info.runId;
    await mlflow.logBatch(runId, { params: { lr: "0.01", depth: "6" } });
    await logSteps(runId, ["loss", "accuracy"], 0, 3000);

    calls.length = 0;
    const first = await syncRunMetrics({ db, mlflow }, runId, { isFinal: false });
    expect(first).toMatchObject({ keysRebuilt: 2, keysMerged: 0, pointsFetched: 6000, isComplete: false });
    expect(first.mlflowCalls).toBe(calls.length);
    expect(calls.filter((c) => c === "metrics/get-history")).toHaveLength(2);

    const copy = await cachedRow(runId, "loss");
    expect(copy.steps.length).toBeLessThanOrEqual(cachedPointsPerSeries);
    expect(copy.totalPoints).toBe(3000);
    expect(copy.maxValue).toBe(50);
    expect(copy.lastStep).toBe(2999);

    await logSteps(runId, ["loss", "accuracy"], 3000, 3000 + windowSteps);
    calls.length = 0;
    const second = await syncRunMetrics({ db, mlflow }, runId, { isFinal: false });
    expect(second).toMatchObject({
      keysMerged: 2,
      keysRebuilt: 0,
      pointsFetched: 2 * windowSteps,
      mlflowCalls: 3,
    });
    expect(calls.sort()).toEqual([
      "metrics/get-history-bulk-interval",
      "metrics/get-history-bulk-interval",
      "runs/get",
    ]);

    const merged = await cachedRow(runId, "loss");
    const rebuilt = buildCachedSeries(await wholeHistory(runId, "loss"));
    expect({
      steps: merged.steps,
      timestamps: merged.timestamps,
      values: merged.values,
      totalPoints: merged.totalPoints,
    }).toEqual({
      steps: rebuilt.steps,
      timestamps: rebuilt.timestamps,
      values: rebuilt.values,
      totalPoints: rebuilt.totalPoints,
    });
    expect(merged.lastStep).toBe(3000 + windowSteps - 1);

    calls.length = 0;
    const again = await syncRunMetrics({ db, mlflow }, runId, { isFinal: false });
    expect(again).toMatchObject({ keysUnchanged: 2, mlflowCalls: 1, pointsFetched: 0 });
    expect(calls).toEqual(["runs/get"]);

    const cachedRun = await db.cachedMlflowRun.findUniqueOrThrow({ where: { mlflowRunId: runId } });
    expect(cachedRun).toMatchObject({
      runName: "sync-grow",
      status: "RUNNING",
      params: { lr: "0.01", depth: "6" },
      metricKeys: ["accuracy", "loss"],
      isComplete: false,
    });
  });

  it("rebuilds from the whole history after a gap wider than one window, and marks the copy complete when the run ends", async () => {
    const run = await mlflow.createRun({ experimentId, runName: "sync-gap" });
    const runId = run.info.runId;
    await logSteps(runId, ["loss"], 0, 100);
    await syncRunMetrics({ db, mlflow }, runId, { isFinal: false });
    await logSteps(runId, ["loss"], 100, 100 + windowSteps + 1);
    await mlflow.updateRun(runId, { status: "FINISHED", endTime: Date.now() });

    const result = await syncRunMetrics({ db, mlflow }, runId, { isFinal: false });
    expect(result).toMatchObject({
      keysRebuilt: 1,
      keysMerged: 0,
      pointsFetched: 101 + windowSteps,
      isComplete: true,
    });
    const copy = await cachedRow(runId, "loss");
    expect(copy).toMatchObject({
      totalPoints: 101 + windowSteps,
      isComplete: true,
      lastStep: 100 + windowSteps,
    });
    expect((await db.cachedMlflowRun.findUniqueOrThrow({ where: { mlflowRunId: runId } })).isComplete).toBe(
      true,
    );
  });

  it("treats isFinal as the end even when MLflow still says RUNNING (a script that crashed before ending its run)", async () => {
    const run = await mlflow.createRun({ experimentId, runName: "sync-crashed" });
    await logSteps(run.info.runId, ["loss"], 0, 10);
    await syncRunMetrics({ db, mlflow }, run.info.runId, { isFinal: false });
    const final = await syncRunMetrics({ db, mlflow }, run.info.runId, { isFinal: true });
    expect(final).toMatchObject({ keysUnchanged: 1, isComplete: true, mlflowCalls: 1 });
    expect((await cachedRow(run.info.runId, "loss")).isComplete).toBe(true);
  });

  it("does not move a copy that another sync moved on meanwhile", async () => {
    const run = await mlflow.createRun({ experimentId, runName: "sync-race" });
    const runId = run.info.runId;
    await logSteps(runId, ["loss"], 0, 50);
    await syncRunMetrics({ db, mlflow }, runId, { isFinal: false });
    await logSteps(runId, ["loss"], 50, 80);
    await Promise.all([
      syncRunMetrics({ db, mlflow }, runId, { isFinal: false }),
      syncRunMetrics({ db, mlflow }, runId, { isFinal: false }),
    ]);
    const copy = await cachedRow(runId, "loss");
    expect(copy.totalPoints).toBe(80);
    expect(copy.steps).toEqual(Array.from({ length: 80 }, (_, i) => i));
  });

  it("keeps NaN, ±Infinity and every digit of each double", async () => {
    const run = await mlflow.createRun({ experimentId, runName: "sync-odd-values" });
    const values = [0.1 + 0.2, NaN, Infinity, 0.013061078987034049, -Infinity, 1e-300];
    await mlflow.logBatch(run.info.runId, {
      metrics: values.map((value, step) => ({ key: "odd", value, step, timestamp: baseTime + step })),
    });
    await syncRunMetrics({ db, mlflow }, run.info.runId, { isFinal: true });
    const copy = await cachedRow(run.info.runId, "odd");
    expect(copy.values).toEqual(values);
    expect(copy.maxValue).toBe(Infinity);
  });

  it("fails with MLflow's not-found error for an unknown run, writing nothing", async () => {
    await expect(
      syncRunMetrics({ db, mlflow }, "0123456789abcdef0123456789abcdef", { isFinal: false }),
    ).rejects.toMatchObject({ status: 404 });
    expect(
      await db.cachedMlflowRun.count({ where: { mlflowRunId: "0123456789abcdef0123456789abcdef" } }),
    ).toBe(0);
  });
});
