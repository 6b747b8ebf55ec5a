import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { buildSandbox } from "../server";

/** The emulator keeps its runs in PostgreSQL: a restarted sandbox carries on with in-flight runs. */

const token = "sandbox-restart-token";
let database: TestDatabase;

async function startOnSharedDatabase() {
  const { app, context } = await buildSandbox({
    databaseUrl: database.url,
    baseUrl: "http://127.0.0.1:0",
    token,
    speed: 100,
    logLevel: "warn",
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  context.baseUrl = url;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, path).toBe(200);
    return response.json();
  };
  return { app, call };
}

async function waitFor<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  database = await createTestDatabase("sbx_jobs", { migrate: false });
});

afterAll(async () => {
  await database?.drop();
});

describe("Jobs emulator across a restart", () => {
  it("resumes a training run mid-way and a run still waiting for its cluster, without repeating logged epochs", async () => {
    const first = await startOnSharedDatabase();
    const cluster = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };
    const training = await first.call("POST", "/api/2.1/jobs/runs/submit", {
      run_name: "resumable training",
      tasks: [
        {
          task_key: "train",
          new_cluster: cluster,
          spark_python_task: {
            python_file: "/train.py",
            parameters: ["--experiment", "/Shared/restart", "--epochs", "10", "--rows", "1000"],
          },
        },
      ],
    });
    const taskRunId = (await first.call("GET", `/api/2.1/jobs/runs/get?run_id=${training.run_id}`)).tasks[0]
      .run_id;
    const before = await waitFor(
      () => first.call("GET", `/api/2.1/jobs/runs/get-output?run_id=${taskRunId}`),
      (output) => /Epoch 3\/10/.test(output.logs),
    );
    const mlflowRunId = before.logs.match(/MLflow run ([0-9a-f]{32})/)[1];
    const waiting = await first.call("POST", "/api/2.1/jobs/runs/submit", {
      run_name: "still pending",
      tasks: [
        {
          task_key: "script",
          new_cluster: cluster,
          spark_python_task: { python_file: "/job.py", parameters: ["--duration_seconds", "10"] },
        },
      ],
    });
    await first.app.close();

    const second = await startOnSharedDatabase();
    try {
      const done = await waitFor(
        () => second.call("GET", `/api/2.2/jobs/runs/get?run_id=${training.run_id}`),
        (run) => run.state.life_cycle_state === "TERMINATED",
      );
      expect(done.state.result_state).toBe("SUCCESS");
      const after = await second.call("GET", `/api/2.2/jobs/runs/get-output?run_id=${taskRunId}`);
      expect(after.logs).toContain(`Resuming MLflow run ${mlflowRunId}`);
      expect(after.logs).toContain(`MLFLOW_RUN_ID=${mlflowRunId}`);

      const { run } = await second.call("GET", `/api/2.0/mlflow/runs/get?run_id=${mlflowRunId}`);
      expect(run.info.status).toBe("FINISHED");
      const { metrics } = await second.call(
        "GET",
        `/api/2.0/mlflow/metrics/get-history?run_id=${mlflowRunId}&metric_key=auc`,
      );
      expect(metrics.map((m: { step: number }) => m.step).sort((a: number, b: number) => a - b)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);

      const pending = await waitFor(
        () => second.call("GET", `/api/2.2/jobs/runs/get?run_id=${waiting.run_id}`),
        (r) => r.state.life_cycle_state === "TERMINATED",
      );
      expect(pending.state.result_state).toBe("SUCCESS");
    } finally {
      await second.app.close();
    }
    // Two whole sandboxes start and stop here (Airflow's history seeding included), beside other suites.
  }, 90_000);
});
