import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { chartPoints } from "@/lib/clients/mlflow";
import { countingClient, startMlflow } from "./mlflow-server";
import { treeCpuSeconds } from "./process-cpu";
import { ensureScaleData } from "./scale-data";

/**
 * What each way of reading metric histories costs a REAL MLflow 2.22 server, in CPU seconds of its
 * process tree (the gunicorn workers) per stored point of the histories asked about:
 *   BENCH_MLFLOW_DIR=/work/bench-data/mlflow npx tsx bench/mlflow-read-cost.bench.ts
 * Same server and data as bench/compare-cold.bench.ts (50 runs × 10 metrics × 2,000 steps and one
 * run of 150,000 steps). Each form reads BENCH_COST_METRICS metrics of the 50 runs, one request at a
 * time unless it says otherwise, so the CPU is the server's work for that form alone. It answers
 * whether any request form lets a cold comparison cost MLflow less than its own UI's bulk-interval path.
 */

const shape = { runs: 50, metrics: 10, steps: 2000 };
const longSteps = 150_000;
const metricsRead = Number(process.env.BENCH_COST_METRICS ?? 2);

interface Form {
  name: string;
  /** Stored points of the histories the form names (what the server would read if it read them all). */
  storedPoints: number;
  concurrency?: number;
  requests: Array<() => Promise<number>>;
}

async function main() {
  const server = startMlflow();
  if (!server.pid)
    throw new Error("set BENCH_MLFLOW_PID with BENCH_MLFLOW_URL: the server's CPU is what this measures");
  const mlflow = countingClient(server.url);
  const data = await ensureScaleData(
    mlflow.client,
    `/Shared/scale-${shape.runs}x${shape.metrics}x${shape.steps}`,
    shape,
  );
  const long = await ensureScaleData(
    mlflow.client,
    `/Shared/scale-1x1x${longSteps}`,
    { runs: 1, metrics: 1, steps: longSteps },
    1,
  );
  const keys = Object.keys((await mlflow.client.getRun(data.runIds[0])).metrics)
    .sort()
    .slice(0, metricsRead);
  const [longKey] = Object.keys((await mlflow.client.getRun(long.runIds[0])).metrics);
  const stored = data.runIds.length * keys.length * shape.steps;
  const perRunAndKey = (read: (runId: string, key: string) => Promise<number>) =>
    keys.flatMap((key) => data.runIds.map((runId) => () => read(runId, key)));
  const bulkInterval = (runIds: string[], key: string, window?: { startStep: number; endStep: number }) =>
    mlflow.client
      .getMetricHistoryBulkInterval({ runIds, metricKey: key, maxResults: chartPoints, ...window })
      .then((points) => points.length);
  // metrics/get-history-bulk is an ajax-api route of MLflow's own UI, not in the REST contract the
  // typed client speaks; it is measured here only because it is the one history read with a SQL LIMIT.
  const historyBulk = async (runIds: string[], key: string, maxResults: number) => {
    const query = new URLSearchParams([
      ...runIds.map((id) => ["run_id", id]),
      ["metric_key", key],
      ["max_results", String(maxResults)],
    ]);
    const response = await fetch(`${server.url}/ajax-api/2.0/mlflow/metrics/get-history-bulk?${query}`);
    const body = await response.text();
    if (!response.ok) throw new Error(`get-history-bulk: ${response.status} ${body.slice(0, 200)}`);
    mlflow.counters.bytes += body.length;
    return (JSON.parse(body) as { metrics?: unknown[] }).metrics?.length ?? 0;
  };
  const runsPerBulkCall = Math.floor(25_000 / shape.steps);
  const runGroups = Array.from({ length: Math.ceil(data.runIds.length / runsPerBulkCall) }, (_, i) =>
    data.runIds.slice(i * runsPerBulkCall, (i + 1) * runsPerBulkCall),
  );
  const summaryFilter = `attributes.run_id IN (${data.runIds.map((id) => `'${id}'`).join(", ")})`;

  const forms: Form[] = [
    {
      name: `bulk-interval, 50 runs a call, ${chartPoints} points (MLflow's UI)`,
      storedPoints: stored,
      requests: keys.map((key) => () => bulkInterval(data.runIds, key)),
    },
    {
      name: `bulk-interval, 1 run a call, ${chartPoints} points (Switchboard's first copy)`,
      storedPoints: stored,
      requests: perRunAndKey((runId, key) => bulkInterval([runId], key)),
    },
    {
      name: `… the same, 4 in flight (gunicorn's 4 workers)`,
      storedPoints: stored,
      concurrency: 4,
      requests: perRunAndKey((runId, key) => bulkInterval([runId], key)),
    },
    {
      name: `bulk-interval, 1 run a call, steps 0–${chartPoints - 1} only (start_step/end_step)`,
      storedPoints: stored,
      requests: perRunAndKey((runId, key) =>
        bulkInterval([runId], key, { startStep: 0, endStep: chartPoints - 1 }),
      ),
    },
    {
      name: "get-history, 1 run a call (the whole history)",
      storedPoints: stored,
      requests: perRunAndKey((runId, key) =>
        mlflow.client.getMetricHistory(runId, key).then((p) => p.items.length),
      ),
    },
    {
      name: `get-history-bulk (ajax-api), ${runsPerBulkCall} runs a call, max_results 25,000 (whole histories)`,
      storedPoints: stored,
      requests: keys.flatMap((key) => runGroups.map((group) => () => historyBulk(group, key, 25_000))),
    },
    {
      name: `get-history-bulk (ajax-api), 1 run a call, max_results ${chartPoints} (the first points only)`,
      storedPoints: stored,
      requests: perRunAndKey((runId, key) => historyBulk([runId], key, chartPoints)),
    },
    {
      name: "runs/search, the 50 runs by run_id IN (params, latest metrics): the summary",
      storedPoints: 0,
      requests: Array.from(
        { length: 10 },
        () => () =>
          mlflow.client
            .searchRuns({ experimentIds: [data.experimentId], filter: summaryFilter, maxResults: 51 })
            .then((page) => page.items.length),
      ),
    },
    {
      name: "runs/get, 1 run",
      storedPoints: 0,
      requests: data.runIds.map((runId) => () => mlflow.client.getRun(runId).then(() => 1)),
    },
    {
      name: `bulk-interval, the ${longSteps.toLocaleString("en")}-step run, ${chartPoints} points`,
      storedPoints: longSteps,
      requests: [() => bulkInterval(long.runIds, longKey)],
    },
    {
      name: `get-history-bulk (ajax-api), the ${longSteps.toLocaleString("en")}-step run, max_results ${chartPoints}`,
      storedPoints: longSteps,
      requests: [() => historyBulk(long.runIds, longKey, chartPoints)],
    },
  ];

  const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(
    `MLflow ${server.url}, server pid ${server.pid}; ${keys.length} metrics × ${data.runIds.length} runs × ${shape.steps} steps = ${stored.toLocaleString("en")} stored points per history form; load ${load()}`,
  );
  console.log(
    "form | calls | points returned | server CPU | µs CPU per stored point | ms CPU per call | wall | MB read",
  );
  for (const form of forms) {
    mlflow.reset();
    const cpuBefore = treeCpuSeconds(server.pid);
    const started = performance.now();
    let returned = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: form.concurrency ?? 1 }, async () => {
        while (next < form.requests.length) {
          const points = await form.requests[next++]();
          returned += points;
        }
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    const cpu = treeCpuSeconds(server.pid) - cpuBefore;
    console.log(
      [
        form.name,
        form.requests.length,
        returned.toLocaleString("en"),
        `${cpu.toFixed(2)} s`,
        form.storedPoints ? ((cpu * 1e6) / form.storedPoints).toFixed(1) : "–",
        ((cpu * 1000) / form.requests.length).toFixed(1),
        `${wallS.toFixed(2)} s`,
        (mlflow.counters.bytes / 1e6).toFixed(2),
      ].join(" | "),
    );
  }
  console.log(`load ${load()}`);
  server.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
