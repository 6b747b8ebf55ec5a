import { performance } from "node:perf_hooks";
import type { MlflowClient } from "@/lib/clients/mlflow";

/**
 * The issue-13 workspace: finished runs × metrics × steps logged through runs/log-batch (what a
 * training script does), idempotent by run name and a `bench.complete` tag so a later run reuses it.
 * Works against the real MLflow server and the sandbox alike.
 */
export interface ScaleShape {
  runs: number;
  metrics: number;
  steps: number;
}

export const scaleMetricKeys = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    i % 3 === 0 ? `train/loss_${i}` : i % 3 === 1 ? `val/accuracy_${i}` : `val/rmse_${i}`,
  );

export const valueAt = (run: number, metric: number, step: number, steps: number) =>
  metric % 3 === 0
    ? (1 + run / 100) * Math.exp((-4 * step) / steps) +
      0.05 +
      0.02 * Math.sin(step * 0.37 + run) +
      (step % 997 === run % 97 ? 3 : 0)
    : metric % 3 === 1
      ? 0.5 + 0.45 * (1 - Math.exp((-5 * step) / steps)) + 0.005 * Math.cos(step * 0.13 + metric)
      : 2 * Math.exp((-3 * step) / steps) + 0.3 + 0.02 * Math.sin(step * 0.21 + run);

const baseTime = 1_760_000_000_000;

/** Ensures the experiment holds `shape`; returns its run ids in name order and how long logging took. */
export async function ensureScaleData(
  mlflow: MlflowClient,
  name: string,
  shape: ScaleShape,
  concurrency = 4,
): Promise<{ experimentId: string; runIds: string[]; loggedRuns: number; loadSeconds: number }> {
  const { experimentId } = await mlflow.ensureExperiment(name);
  const done = new Map<string, string>();
  for await (const run of mlflow.iterateRuns({
    experimentIds: [experimentId],
    filter: "tags.`bench.complete` = '1'",
  }))
    done.set(run.info.runName, run.info.runId);
  const keys = scaleMetricKeys(shape.metrics);
  const names = Array.from({ length: shape.runs }, (_, r) => `scale-run-${String(r).padStart(3, "0")}`);
  const runIds: string[] = new Array(shape.runs);
  const started = performance.now();
  let next = 0;
  let logged = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < names.length) {
        const r = next++;
        const existing = done.get(names[r]);
        if (existing) {
          runIds[r] = existing;
          continue;
        }
        const run = await mlflow.createRun({ experimentId, runName: names[r], startTime: baseTime });
        const runId = run.info.runId;
        const params = {
          learning_rate: String([0.1, 0.03, 0.01, 0.003][r % 4]),
          max_depth: String(3 + (r % 7)),
          optimizer: ["adam", "sgd", "adamw"][r % 3],
        };
        const metrics = [];
        for (let step = 0; step < shape.steps; step++) {
          for (let m = 0; m < keys.length; m++)
            metrics.push({
              key: keys[m],
              value: valueAt(r, m, step, shape.steps),
              step,
              timestamp: baseTime + step * 250 + r,
            });
        }
        await mlflow.logBatch(runId, { params, metrics });
        await mlflow.setRunTag(runId, "bench.complete", "1");
        await mlflow.updateRun(runId, { status: "FINISHED", endTime: baseTime + shape.steps * 250 });
        runIds[r] = runId;
        logged++;
        if (logged % 10 === 0)
          console.error(`logged ${logged} runs (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }),
  );
  return { experimentId, runIds, loggedRuns: logged, loadSeconds: (performance.now() - started) / 1000 };
}
