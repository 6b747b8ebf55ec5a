import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMlflowClient, type MlflowClient } from "@/lib/clients/mlflow";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { decodeSeries } from "@/lib/domain/metrics/series-codec";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { syncRunMetrics } from "@/workers/handlers/metric-sync";
import { previewSizeFor, readRunComparison } from "./metric-series";
import { compareQuery } from "@/lib/validation/experiments";

let sandbox: RunningSandbox;
let database: TestDatabase;
let db: PrismaClient;
let mlflow: MlflowClient;
const runIds: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  database = await createTestDatabase("compare_test");
  db = createPrismaClient(database.url);
  mlflow = createMlflowClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
  const { experimentId } = await mlflow.ensureExperiment(`compare-${database.name}`);
  for (const [index, lr] of ["0.1", "0.01"].entries()) {
    const run = await mlflow.createRun({ experimentId, runName: `lr-${lr}` });
    const metrics = Array.from({ length: 2000 }, (_, step) => [
      {
        key: "loss",
        value: (index + 1) / (step + 1) + (step === 777 ? 9 : 0),
        step,
        timestamp: 1_760_000_000_000 + step * 500,
      },
      { key: "accuracy", value: step / 2000, step, timestamp: 1_760_000_000_000 + step * 500 },
    ]).flat();
    await mlflow.logBatch(run.info.runId, { params: { lr, seed: "7" }, metrics });
    await mlflow.updateRun(run.info.runId, { status: "FINISHED", endTime: Date.now() });
    runIds.push(run.info.runId);
  }
  await syncRunMetrics({ db, mlflow }, runIds[0], { isFinal: true });
});

afterAll(async () => {
  await db?.$disconnect();
  await sandbox?.close();
  await database?.drop();
});

describe("readRunComparison", () => {
  it("serves cached runs with exact stats and downsampled series, and lists the rest as pending", async () => {
    const comparison = await readRunComparison(db, compareQuery.parse({ runs: `${runIds[1]},${runIds[0]}` }));
    expect(comparison.pending).toEqual([runIds[1]]);
    expect(comparison.runs.map((r) => [r.runName, r.params])).toEqual([["lr-0.1", { lr: "0.1", seed: "7" }]]);
    expect(comparison.metricKeys).toEqual(["accuracy", "loss"]);
    expect(comparison.stats[runIds[0]].loss).toEqual({
      last: 1 / 2000,
      min: 1 / 2000,
      max: 1 / 778 + 9,
      lastStep: 1999,
      totalPoints: 2000,
    });

    const loss = decodeSeries(comparison.series.loss[runIds[0]]);
    expect(loss.timestamps).toBeNull();
    expect(loss.steps[0]).toBe(0);
    expect(loss.steps.at(-1)).toBe(1999);
    expect(loss.steps.length).toBeLessThanOrEqual(comparison.pointsPerSeries);
    expect(Math.max(...loss.values)).toBeCloseTo(1 / 778 + 9, 5);
  });

  it("includes wall time for x=time and narrows to the asked metrics once every run is cached", async () => {
    await syncRunMetrics({ db, mlflow }, runIds[1], { isFinal: true });
    const comparison = await readRunComparison(
      db,
      compareQuery.parse({ runs: runIds.join(","), metrics: "accuracy", x: "time" }),
    );
    expect(comparison.pending).toEqual([]);
    expect(comparison.metrics).toEqual(["accuracy"]);
    expect(Object.keys(comparison.series)).toEqual(["accuracy"]);
    const accuracy = decodeSeries(comparison.series.accuracy[runIds[1]]);
    expect(accuracy.timestamps?.[0]).toBe(1_760_000_000_000);
    expect(accuracy.timestamps?.at(-1)).toBe(1_760_000_000_000 + 1999 * 500);
  });

  it("sends 500 points per series for a few runs and fewer for 100 runs × 20 metrics, so the response stays under 2 MB", () => {
    expect(previewSizeFor(40, false)).toBe(500);
    expect(previewSizeFor(2000, false)).toBe(160);
    expect(previewSizeFor(2000, true)).toBe(80);
  });

  it("serves a copy made before previews existed from its arrays", async () => {
    await db.$executeRaw`UPDATE metric_series SET previews = NULL WHERE mlflow_run_id = ${runIds[0]} AND key = 'loss'`;
    const comparison = await readRunComparison(
      db,
      compareQuery.parse({ runs: runIds.join(","), metrics: "loss" }),
    );
    expect(Math.max(...decodeSeries(comparison.series.loss[runIds[0]]).values)).toBeCloseTo(1 / 778 + 9, 5);
    const resync = await syncRunMetrics({ db, mlflow }, runIds[0], { isFinal: true });
    expect(resync.mlflowCalls).toBe(1);
    const [{ has }] = await db.$queryRaw<
      Array<{ has: boolean }>
    >`SELECT previews IS NOT NULL AS has FROM metric_series WHERE mlflow_run_id = ${runIds[0]} AND key = 'loss'`;
    expect(has).toBe(true);
  });

  it("rejects more than 100 runs or odd ids", () => {
    expect(
      compareQuery.safeParse({ runs: Array.from({ length: 101 }, (_, i) => `r${i}`).join(",") }).success,
    ).toBe(false);
    expect(compareQuery.safeParse({ runs: "abc,'; drop" }).success).toBe(false);
  });
});
