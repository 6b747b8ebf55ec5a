import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createDatabricksClient } from "../databricks";
import { CloudApiError } from "../http";
import { rejectionOf } from "@/lib/testing/contract";
import { createAirflowClient, isAirflowAlreadyExists, type AirflowClient, type DagRun } from ".";

/**
 * The Airflow client's contract suite. The shared half runs against the sandbox over real HTTP and,
 * when AIRFLOW_CONTRACT_URL is set, against a real Airflow 2 webserver (AIRFLOW_CONTRACT_TOKEN, or
 * AIRFLOW_CONTRACT_USERNAME and AIRFLOW_CONTRACT_PASSWORD for basic auth). It triggers runs of
 * AIRFLOW_CONTRACT_DAG_ID (default example_bash_operator, from Airflow's examples) with random ids.
 */

const realUrl = process.env.AIRFLOW_CONTRACT_URL;
if (!realUrl)
  console.info(
    "[airflow contract] AIRFLOW_CONTRACT_URL is not set: the suite against a real Airflow is skipped.",
  );

interface Target {
  client: () => AirflowClient;
  dagId: string;
}

function contractSuite(target: Target) {
  let client: AirflowClient;
  beforeAll(() => {
    client = target.client();
  });

  it("pages DAGs with limit and offset and reports total_entries", async () => {
    const all = await client.listDags({ limit: 100 });
    expect(all.totalEntries).toBeGreaterThanOrEqual(all.dags.length);
    expect(all.dags.some((d) => d.dag_id === target.dagId)).toBe(true);
    if (all.totalEntries >= 2) {
      const first = await client.listDags({ limit: 1, offset: 0 });
      const second = await client.listDags({ limit: 1, offset: 1 });
      expect(first.dags).toHaveLength(1);
      expect(second.dags[0].dag_id).not.toBe(first.dags[0].dag_id);
      expect(second.totalEntries).toBe(all.totalEntries);
    }
  });

  it("answers an unknown DAG with a NotFound problem", async () => {
    const error = (await rejectionOf(
      client.getDag(`no_such_dag_${randomBytes(3).toString("hex")}`),
    )) as CloudApiError;
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error.status).toBe(404);
    expect(error.errorCode).toBe("NotFound");
    expect(error.message).toMatch(/DAG not found/);
  });

  it("refuses a limit below 1 with a BadRequest problem, and changes nothing", async () => {
    const error = (await rejectionOf(client.listDags({ limit: 0 }))) as CloudApiError;
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe("BadRequest");
  });

  it("triggers a run with a conf once per dag_run_id: a repeat is 409 AlreadyExists", async () => {
    const dagRunId = `contract__${randomBytes(4).toString("hex")}`;
    const run = await client.triggerDagRun(target.dagId, { dagRunId, conf: { source: "contract-suite" } });
    expect(run).toMatchObject({
      dag_run_id: dagRunId,
      dag_id: target.dagId,
      run_type: "manual",
      external_trigger: true,
      conf: { source: "contract-suite" },
    });
    expect(["queued", "running", "success", "failed"]).toContain(run.state);
    const again = await rejectionOf(client.triggerDagRun(target.dagId, { dagRunId }));
    expect(isAirflowAlreadyExists(again)).toBe(true);
    expect((await client.getDagRun(target.dagId, dagRunId)).dag_run_id).toBe(dagRunId);
    const tasks = await client.listTaskInstances(target.dagId, dagRunId);
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks)
      expect(task).toMatchObject({ dag_id: target.dagId, try_number: expect.any(Number) });
  });

  it("lists runs newest first when asked, with total_entries", async () => {
    const page = await client.listDagRuns(target.dagId, { limit: 2, orderBy: "-execution_date" });
    expect(page.dagRuns.length).toBeLessThanOrEqual(2);
    expect(page.totalEntries).toBeGreaterThanOrEqual(page.dagRuns.length);
    const [a, b] = page.dagRuns;
    if (a && b) expect(Date.parse(a.logical_date!)).toBeGreaterThanOrEqual(Date.parse(b.logical_date!));
    const bad = (await rejectionOf(
      client.listDagRuns(target.dagId, { orderBy: "no_such_column" }),
    )) as CloudApiError;
    expect(bad.status).toBe(400);
  });

  it("reads an XCom that does not exist as undefined", async () => {
    const [run] = (await client.listDagRuns(target.dagId, { limit: 1, orderBy: "-execution_date" })).dagRuns;
    const [task] = await client.listTaskInstances(target.dagId, run.dag_run_id!);
    expect(
      await client.getXcomValue(
        target.dagId,
        run.dag_run_id!,
        task.task_id,
        `no_such_key_${randomBytes(2).toString("hex")}`,
      ),
    ).toBeUndefined();
  });
}

describe("Airflow client against the sandbox", () => {
  let sandbox: RunningSandbox;
  const client = () =>
    createAirflowClient({
      baseUrl: `${sandbox.url}/airflow`,
      getToken: async () => sandbox.token,
      retryBudgetMs: 5_000,
    });
  const dagId = "telco_churn_hourly";

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  describe("shared contract", () => contractSuite({ client, dagId }));

  async function waitForEnd(airflow: AirflowClient, dagRunId: string): Promise<DagRun> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const run = await airflow.getDagRun(dagId, dagRunId);
      if (run.state === "success" || run.state === "failed") return run;
      if (Date.now() > deadline) throw new Error(`run ${dagRunId} still ${run.state}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("starts with the DAG's recent hourly history, a retried try and a failed validation among it", async () => {
    const airflow = client();
    const { dagRuns, totalEntries } = await airflow.listDagRuns(dagId, {
      limit: 100,
      orderBy: "-execution_date",
    });
    expect(totalEntries).toBeGreaterThanOrEqual(36);
    const scheduled = dagRuns.filter((r) => r.run_type === "scheduled");
    expect(Date.now() - Date.parse(scheduled[0].data_interval_end!)).toBeLessThan(2 * 3_600_000);
    expect(dagRuns.some((r) => r.state === "failed")).toBe(true);
    const latestDone = scheduled.find((r) => r.state === "success")!;
    const tasks = await airflow.listTaskInstances(dagId, latestDone.dag_run_id!);
    expect(tasks.map((t) => [t.task_id, t.state])).toEqual([
      ["ingest_cdr_extract", "success"],
      ["validate_customer_features", "success"],
      ["submit_churn_feature_build", "success"],
    ]);
    expect(tasks[0].duration).toBeGreaterThan(0);
    const databricksRunId = await airflow.getXcomValue(
      dagId,
      latestDone.dag_run_id!,
      "submit_churn_feature_build",
      "run_id",
    );
    const databricks = createDatabricksClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    expect((await databricks.getRun(Number(databricksRunId))).state).toMatchObject({
      life_cycle_state: "TERMINATED",
      result_state: "SUCCESS",
    });
  });

  it("runs a triggered run to the end: validation results and the Databricks run it submitted", async () => {
    const airflow = client();
    const dagRunId = `manual__${randomBytes(4).toString("hex")}`;
    await airflow.triggerDagRun(dagId, { dagRunId, conf: { simulate_ingest_failure: true } });
    const run = await waitForEnd(airflow, dagRunId);
    expect(run.state).toBe("success");
    const tasks = await airflow.listTaskInstances(dagId, dagRunId);
    expect(tasks.find((t) => t.task_id === "ingest_cdr_extract")).toMatchObject({
      state: "success",
      try_number: 2,
      max_tries: 2,
    });
    const quality = (await airflow.getXcomValue(
      dagId,
      dagRunId,
      "validate_customer_features",
      "return_value",
    )) as { success: boolean; statistics: { evaluated_expectations: number } };
    expect(quality.success).toBe(true);
    expect(quality.statistics.evaluated_expectations).toBeGreaterThan(0);
    const databricksRunId = Number(
      await airflow.getXcomValue(dagId, dagRunId, "submit_churn_feature_build", "run_id"),
    );
    const databricks = createDatabricksClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    const submitted = await databricks.getRun(databricksRunId);
    expect(submitted.run_name).toBe("telco_churn_hourly.submit_churn_feature_build");
    expect(submitted.state).toMatchObject({ life_cycle_state: "TERMINATED", result_state: "SUCCESS" });
  }, 60_000);

  it("fails a run whose batch fails validation, and never submits its Databricks job", async () => {
    const airflow = client();
    const dagRunId = `manual__${randomBytes(4).toString("hex")}`;
    await airflow.triggerDagRun(dagId, { dagRunId, conf: { inject_quality_issue: true } });
    expect((await waitForEnd(airflow, dagRunId)).state).toBe("failed");
    const states = Object.fromEntries(
      (await airflow.listTaskInstances(dagId, dagRunId)).map((t) => [t.task_id, t.state]),
    );
    expect(states).toEqual({
      ingest_cdr_extract: "success",
      validate_customer_features: "failed",
      submit_churn_feature_build: "upstream_failed",
    });
    expect(
      await airflow.getXcomValue(dagId, dagRunId, "submit_churn_feature_build", "run_id"),
    ).toBeUndefined();
  }, 60_000);

  it("pauses and unpauses a DAG; a paused DAG's triggered run waits in the queue", async () => {
    const airflow = client();
    expect((await airflow.setPaused(dagId, true)).is_paused).toBe(true);
    const dagRunId = `manual__${randomBytes(4).toString("hex")}`;
    await airflow.triggerDagRun(dagId, { dagRunId });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await airflow.getDagRun(dagId, dagRunId)).state).toBe("queued");
    expect((await airflow.setPaused(dagId, false)).is_paused).toBe(false);
    expect((await waitForEnd(airflow, dagRunId)).state).toBe("success");
  }, 60_000);

  it("refuses a request without the token with an Unauthenticated problem", async () => {
    const anonymous = createAirflowClient({ baseUrl: `${sandbox.url}/airflow` });
    const error = (await rejectionOf(anonymous.listDags())) as CloudApiError;
    expect(error.status).toBe(401);
    expect(error.errorCode).toBe("Unauthenticated");
  });
});

describe.skipIf(!realUrl)("Airflow client against a real Airflow", () => {
  const token = process.env.AIRFLOW_CONTRACT_TOKEN;
  const client = () =>
    createAirflowClient({
      baseUrl: realUrl!,
      getToken: token ? async () => token : undefined,
      basicAuth: process.env.AIRFLOW_CONTRACT_USERNAME
        ? {
            username: process.env.AIRFLOW_CONTRACT_USERNAME,
            password: process.env.AIRFLOW_CONTRACT_PASSWORD ?? "",
          }
        : undefined,
    });
  contractSuite({ client, dagId: process.env.AIRFLOW_CONTRACT_DAG_ID ?? "example_bash_operator" });
});
