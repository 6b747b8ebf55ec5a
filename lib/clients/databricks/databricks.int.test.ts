import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { staticTokenProvider } from "../azure-token";
import { CloudApiError, collect } from "../http";
import {
  classifyRun,
  createDatabricksClient,
  isTerminal,
  mlflowRunIdOf,
  type DatabricksClient,
  type Run,
  type SubmitTask,
} from ".";

/**
 * The Jobs contract, over HTTP: always against the sandbox; against a real workspace too when
 * DATABRICKS_CONTRACT_HOST and DATABRICKS_CONTRACT_TOKEN are set (that part starts real clusters
 * and cancels them at once; DATABRICKS_CONTRACT_PYTHON_FILE names a script that exists there).
 */

type KeyValue = { key: string; value: string };

/** Sandbox speed: a 45 s cluster start takes ~110 ms, an epoch ~8 ms. */
const speed = 400;

interface Target {
  client: DatabricksClient;
  /** Raw HTTP for error shapes the client deliberately prevents. */
  raw(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  pythonFile: string;
  cluster: SubmitTask["new_cluster"];
}

function rawCaller(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

async function waitForRun(
  client: DatabricksClient,
  runId: number,
  until: (run: Run) => boolean,
  timeoutMs = 15_000,
  seen?: string[],
): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.getRun(runId);
    if (seen && seen[seen.length - 1] !== run.state.life_cycle_state) seen.push(run.state.life_cycle_state);
    if (until(run)) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run.state.life_cycle_state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
const terminated = (run: Run) => isTerminal(run.state.life_cycle_state);

function pythonTask(target: Target, parameters: string[], extra: Partial<SubmitTask> = {}): SubmitTask {
  return {
    task_key: "train",
    spark_python_task: { python_file: target.pythonFile, parameters },
    new_cluster: target.cluster,
    ...extra,
  };
}

/** What holds for the sandbox and a real workspace alike. */
function defineSharedContract(getTarget: () => Target) {
  it("returns the same run for the same idempotency token, even when submitted concurrently", async () => {
    const { client } = getTarget();
    const token = `contract-${randomUUID()}`;
    const request = {
      run_name: `idempotent ${token}`,
      idempotency_token: token,
      tasks: [pythonTask(getTarget(), ["--duration_seconds", "600"])],
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.submitRun(request)));
    expect(new Set(answers.map((a) => a.run_id)).size).toBe(1);
    expect((await client.submitRun(request)).run_id).toBe(answers[0].run_id);
    await client.cancelRun(answers[0].run_id);
  });

  it("refuses an idempotency token over 64 characters with INVALID_PARAMETER_VALUE", async () => {
    const target = getTarget();
    const response = await target.raw("POST", "/api/2.2/jobs/runs/submit", {
      run_name: "x",
      idempotency_token: "t".repeat(65),
      tasks: [pythonTask(target, [])],
    });
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    await expect(
      target.client.submitRun({ run_name: "x", idempotency_token: "t".repeat(65), tasks: [] }),
    ).rejects.toThrow(RangeError);
  });

  it("answers RESOURCE_DOES_NOT_EXIST (404) for an unknown run and refuses get-output for a multitask parent", async () => {
    const { client } = getTarget();
    const missing = await client.getRun(999_999_999_999).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CloudApiError);
    expect(missing).toMatchObject({
      status: 404,
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      isNotFound: true,
      retryable: false,
    });

    const { run_id } = await client.submitRun({
      run_name: "output refusal",
      idempotency_token: randomUUID(),
      tasks: [pythonTask(getTarget(), ["--duration_seconds", "600"])],
    });
    const refused = await client.getRunOutput(run_id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
    expect((refused as Error).message).toMatch(/multiple tasks/);
    await client.cancelRun(run_id);
  });

  it("pages runs/list newest first without gaps or repeats, and validates its parameters", async () => {
    const target = getTarget();
    const since = Date.now();
    const submitted: number[] = [];
    for (let i = 0; i < 5; i++) {
      submitted.push(
        (
          await target.client.submitRun({
            run_name: `paging ${i}`,
            idempotency_token: randomUUID(),
            tasks: [pythonTask(target, ["--duration_seconds", "600"])],
          })
        ).run_id,
      );
    }
    const listed = await collect(
      target.client.listRuns({ startTimeFrom: since, pageSize: 2, runType: "SUBMIT_RUN" }),
    );
    expect(listed.map((r) => r.run_id)).toEqual([...submitted].reverse());
    const active = await collect(target.client.listRuns({ startTimeFrom: since, activeOnly: true }));
    expect(active.map((r) => r.run_id).sort()).toEqual([...submitted].sort());
    await Promise.all(submitted.map((id) => target.client.cancelRun(id)));

    for (const query of ["limit=26", "limit=-1", "active_only=true&completed_only=true"]) {
      const response = await target.raw("GET", `/api/2.2/jobs/runs/list?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error_code, query).toBe("INVALID_PARAMETER_VALUE");
    }
  });
}

describe("Databricks Jobs contract: sandbox", () => {
  let sandbox: RunningSandbox;
  let target: Target;
  let mlflowGet: <T>(path: string) => Promise<T>;
  /** An MLflow run as the sandbox's MLflow reports it, tags and params as maps. */
  const trackedRun = async (runId: string | undefined) => {
    const { run } = await mlflowGet<{
      run: { info: { status: string }; data: { tags?: KeyValue[]; params?: KeyValue[] } };
    }>(`runs/get?run_id=${runId}`);
    const toMap = (items: KeyValue[] = []) => Object.fromEntries(items.map((item) => [item.key, item.value]));
    return { status: run.info.status, tags: toMap(run.data.tags), params: toMap(run.data.params) };
  };
  /** A metric's history ordered by step. */
  const metricHistory = async (runId: string | undefined, key: string) => {
    const { metrics = [] } = await mlflowGet<{ metrics?: { step: number; value: number }[] }>(
      `metrics/get-history?run_id=${runId}&metric_key=${key}`,
    );
    return metrics.sort((a, b) => a.step - b.step);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ speed });
    target = {
      client: createDatabricksClient({
        baseUrl: sandbox.url,
        getToken: staticTokenProvider(sandbox.token),
        timeoutMs: 5000,
        sleep: async () => {},
      }),
      raw: rawCaller(sandbox.url, sandbox.token),
      pythonFile: "/Workspace/Repos/ml/churn/train.py",
      cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 },
    };
    mlflowGet = async <T>(path: string) => {
      const response = await fetch(`${sandbox.url}/api/2.0/mlflow/${path}`, {
        headers: { authorization: `Bearer ${sandbox.token}` },
      });
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    };
  });
  afterAll(() => sandbox?.close());

  defineSharedContract(() => target);

  it("runs a training job through its whole life cycle to SUCCESS, with metrics in MLflow", async () => {
    const { client } = target;
    const modelName = `churn-contract-${randomUUID().slice(0, 8)}`;
    const { run_id } = await client.submitRun({
      run_name: "churn training",
      idempotency_token: randomUUID(),
      tasks: [
        pythonTask(target, [
          "--experiment",
          "/Shared/churn-contract",
          "--learning_rate",
          "0.2",
          "--epochs",
          "6",
          "--dataset",
          "main.features.customer_features",
          "--registered_model_name",
          modelName,
          "--switchboard_run_id",
          "sb-run-42",
        ]),
      ],
    });
    const seen: string[] = [];
    const run = await waitForRun(client, run_id, terminated, 15_000, seen);

    const order = ["QUEUED", "PENDING", "RUNNING", "TERMINATING", "TERMINATED"];
    expect(seen.map((s) => order.indexOf(s))).toEqual(
      [...seen.map((s) => order.indexOf(s))].sort((a, b) => a - b),
    );
    expect(seen).toEqual(expect.arrayContaining(["PENDING", "RUNNING", "TERMINATED"]));
    expect(run.state).toMatchObject({ life_cycle_state: "TERMINATED", result_state: "SUCCESS" });
    expect(run.status).toMatchObject({
      state: "TERMINATED",
      termination_details: { code: "SUCCESS", type: "SUCCESS" },
    });
    expect(classifyRun(run)).toMatchObject({ phase: "succeeded", isSuccess: true });

    const task = run.tasks![0];
    expect(task.run_id).not.toBe(run_id);
    expect(task.run_page_url).toContain(`/run/${task.run_id}`);
    expect(task.setup_duration).toBeGreaterThan(0);
    expect(task.execution_duration).toBeGreaterThan(0);
    expect(task.cleanup_duration).toBeGreaterThan(0);
    expect(
      Math.abs(
        task.start_time! +
          task.setup_duration! +
          task.execution_duration! +
          task.cleanup_duration! -
          task.end_time!,
      ),
    ).toBeLessThan(25);
    expect(run.end_time).toBeGreaterThanOrEqual(task.end_time!);

    const output = await client.getRunOutput(task.run_id);
    expect(output.error).toBeUndefined();
    const mlflowRunId = mlflowRunIdOf(output);
    expect(mlflowRunId).toMatch(/^[0-9a-f]{32}$/);

    const tracked = await trackedRun(mlflowRunId);
    expect(tracked.status).toBe("FINISHED");
    expect(tracked.tags).toMatchObject({
      "mlflow.databricks.jobRunId": String(run_id),
      "switchboard.run_id": "sb-run-42",
      "mlflow.user": expect.any(String),
    });
    expect(tracked.params).toMatchObject({
      learning_rate: "0.2",
      epochs: "6",
      dataset: "main.features.customer_features",
    });

    const auc = await metricHistory(mlflowRunId, "auc");
    expect(auc.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(auc.every((m) => m.value > 0.7 && m.value <= 1)).toBe(true);
    const loss = await metricHistory(mlflowRunId, "loss");
    expect(loss[5].value).toBeLessThan(loss[0].value);

    const { model_versions: versions } = await mlflowGet<{
      model_versions: { run_id: string; status: string }[];
    }>(`model-versions/search?filter=${encodeURIComponent(`name='${modelName}'`)}`);
    expect(versions).toHaveLength(1);
    // The job ends only once its model version is READY, as mlflow.register_model waits for it.
    expect(versions[0]).toMatchObject({ run_id: mlflowRunId, status: "READY" });
  });

  it("fails a run whose code raises, with the error and trace in get-output and the MLflow run FAILED", async () => {
    const { client } = target;
    const { run_id } = await client.submitRun({
      run_name: "failing training",
      idempotency_token: randomUUID(),
      tasks: [
        pythonTask(target, [
          "--experiment",
          "/Shared/churn-contract",
          "--epochs",
          "5",
          "--fail_at_epoch",
          "3",
        ]),
      ],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state).toMatchObject({ life_cycle_state: "TERMINATED", result_state: "FAILED" });
    expect(run.status?.termination_details).toMatchObject({
      code: "RUN_EXECUTION_ERROR",
      type: "CLIENT_ERROR",
    });
    expect(classifyRun(run)).toMatchObject({
      phase: "failed",
      message: expect.stringContaining("RuntimeError"),
    });

    const output = await client.getRunOutput(run.tasks![0].run_id);
    expect(output.error).toMatch(/^RuntimeError: training diverged at epoch 3/);
    expect(output.error_trace).toMatch(/^Traceback \(most recent call last\):/);
    const mlflowRunId = output.logs?.match(/MLflow run ([0-9a-f]{32})/)?.[1];
    expect((await trackedRun(mlflowRunId)).status).toBe("FAILED");
    expect((await metricHistory(mlflowRunId, "loss")).map((m) => m.step)).toEqual([1, 2]);
  });

  it("reports a notebook's exit value as notebook_output, with the MLflow run id in it", async () => {
    const { client } = target;
    const { run_id } = await client.submitRun({
      run_name: "notebook training",
      idempotency_token: randomUUID(),
      tasks: [
        {
          task_key: "train",
          notebook_task: {
            notebook_path: "/Repos/ml/churn/train",
            base_parameters: { experiment: "/Shared/churn-contract", epochs: "2", rows: "1000" },
          },
          new_cluster: target.cluster,
        },
      ],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state.result_state).toBe("SUCCESS");
    const output = await client.getRunOutput(run.tasks![0].run_id);
    expect(output.logs).toBeUndefined();
    const result = JSON.parse(output.notebook_output!.result!);
    expect(result).toMatchObject({
      mlflow_run_id: mlflowRunIdOf(output),
      metrics: { auc: expect.any(Number) },
    });
    expect((await trackedRun(result.mlflow_run_id)).status).toBe("FINISHED");
  });

  it("skips the tasks downstream of a failed task and fails the run with the service's message", async () => {
    const { client } = target;
    const { run_id } = await client.submitRun({
      run_name: "two tasks",
      idempotency_token: randomUUID(),
      tasks: [
        pythonTask(
          target,
          [
            "--experiment",
            "/Shared/churn-contract",
            "--epochs",
            "3",
            "--rows",
            "1000",
            "--fail_at_epoch",
            "1",
          ],
          { task_key: "prepare" },
        ),
        pythonTask(target, ["--duration_seconds", "5"], {
          task_key: "train",
          depends_on: [{ task_key: "prepare" }],
        }),
      ],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state.result_state).toBe("FAILED");
    expect(run.status?.termination_details?.message).toMatch(
      /^Task prepare failed with message: RuntimeError: .*This caused all downstream tasks to get skipped\.$/,
    );
    const train = run.tasks!.find((t) => t.task_key === "train")!;
    expect(train.state).toMatchObject({ life_cycle_state: "SKIPPED", result_state: "UPSTREAM_FAILED" });
    expect(classifyRun({ state: train.state!, status: train.status }).phase).toBe("skipped");
  });

  it("cancels asynchronously: not terminal right after the call, then CANCELED with the MLflow run KILLED", async () => {
    const { client } = target;
    const { run_id } = await client.submitRun({
      run_name: "long training",
      idempotency_token: randomUUID(),
      tasks: [pythonTask(target, ["--experiment", "/Shared/churn-contract", "--epochs", "500"])],
    });
    const running = await waitForRun(client, run_id, (r) => r.state.life_cycle_state === "RUNNING");
    const taskRunId = running.tasks![0].run_id;
    // Cancel once training is under way, so there is an MLflow run to end.
    for (
      let output = await client.getRunOutput(taskRunId);
      !/Epoch 1\//.test(output.logs ?? "");
      output = await client.getRunOutput(taskRunId)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await client.cancelRun(run_id);
    const rightAfter = await client.getRun(run_id);
    expect(isTerminal(rightAfter.state.life_cycle_state)).toBe(false);
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state).toMatchObject({
      life_cycle_state: "TERMINATED",
      result_state: "CANCELED",
      user_cancelled_or_timedout: true,
    });
    expect(run.status?.termination_details?.code).toBe("USER_CANCELED");

    const output = await client.getRunOutput(run.tasks![0].run_id);
    const mlflowRunId = output.logs?.match(/MLflow run ([0-9a-f]{32})/)?.[1];
    expect(mlflowRunId).toBeDefined();
    expect((await trackedRun(mlflowRunId)).status).toBe("KILLED");
    await client.cancelRun(run_id); // cancelling a finished run is a no-op, as in the real service
  });

  it("times out a run that exceeds timeout_seconds (in job time) as TIMEDOUT", async () => {
    const { client } = target;
    const { run_id } = await client.submitRun({
      run_name: "slow training",
      idempotency_token: randomUUID(),
      timeout_seconds: 60,
      tasks: [pythonTask(target, ["--experiment", "/Shared/churn-contract", "--epochs", "100"])],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state).toMatchObject({ result_state: "TIMEDOUT", user_cancelled_or_timedout: true });
    expect(classifyRun(run).phase).toBe("timed_out");
  });

  it("ends in INTERNAL_ERROR when the cluster cannot launch", async () => {
    const { client } = target;
    const cluster = { ...target.cluster!, custom_tags: { sandbox_fault: "cluster_launch_failure" } };
    const { run_id } = await client.submitRun({
      run_name: "no quota",
      idempotency_token: randomUUID(),
      tasks: [pythonTask(target, [], { new_cluster: cluster })],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state.life_cycle_state).toBe("INTERNAL_ERROR");
    expect(run.status).toMatchObject({
      state: "TERMINATED",
      termination_details: { code: "CLOUD_FAILURE", type: "CLOUD_FAILURE" },
    });
    expect(classifyRun(run)).toMatchObject({ phase: "internal_error", isTerminal: true });
  });

  it("simulates an LLM fine-tuning run on GPU nodes and marks it simulated in MLflow", async () => {
    const { client } = target;
    const gpu = {
      spark_version: "15.4.x-gpu-ml-scala2.12",
      node_type_id: "Standard_NC24ads_A100_v4",
      num_workers: 0,
    };
    const { run_id } = await client.submitRun({
      run_name: "llama fine-tune",
      idempotency_token: randomUUID(),
      tasks: [
        pythonTask(
          target,
          [
            "--experiment",
            "/Shared/llm-finetune",
            "--base_model",
            "meta-llama/Meta-Llama-3-8B",
            "--epochs",
            "1",
          ],
          { new_cluster: gpu },
        ),
      ],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state.result_state).toBe("SUCCESS");
    const mlflowRunId = mlflowRunIdOf(await client.getRunOutput(run.tasks![0].run_id));
    const { tags } = await trackedRun(mlflowRunId);
    expect(tags["switchboard.simulated"]).toBe("true");
    expect(tags["mlflow.note.content"]).toMatch(/Simulated/);
    const byStep = (await metricHistory(mlflowRunId, "loss")).map((m) => m.value);
    expect(byStep).toHaveLength(10);
    expect(byStep[9]).toBeLessThan(byStep[0] * 0.6);
    // Its evaluation metrics, for promotion evidence and policy gates.
    for (const [key, [min, max]] of Object.entries({
      rouge_l: [0.2, 0.7],
      exact_match: [0.05, 0.6],
      toxicity: [0, 0.05],
    })) {
      const history = await metricHistory(mlflowRunId, key);
      expect(history, key).toHaveLength(1);
      expect(history[0].value, key).toBeGreaterThanOrEqual(min);
      expect(history[0].value, key).toBeLessThanOrEqual(max);
    }
  });

  it("fails fine-tuning on a node type without GPUs", async () => {
    const { client } = target;
    const { run_id } = await client.submitRun({
      run_name: "cpu fine-tune",
      idempotency_token: randomUUID(),
      tasks: [pythonTask(target, ["--base_model", "meta-llama/Meta-Llama-3-8B"])],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run.state.result_state).toBe("FAILED");
    expect((await client.getRunOutput(run.tasks![0].run_id)).error).toMatch(/CUDA/);
  });

  it("creates a job, reads it back and runs it now with parameter overrides", async () => {
    const { client, raw } = target;
    const created = await raw("POST", "/api/2.2/jobs/create", {
      name: "nightly churn",
      tasks: [
        {
          task_key: "train",
          spark_python_task: { python_file: target.pythonFile, parameters: ["--duration_seconds", "600"] },
          job_cluster_key: "main",
        },
      ],
      job_clusters: [{ job_cluster_key: "main", new_cluster: target.cluster }],
    });
    expect(created.status).toBe(200);
    const jobId = created.body.job_id as number;
    const job = await client.getJob(jobId);
    expect(job.settings?.name).toBe("nightly churn");
    expect(job.settings?.tasks?.[0].task_key).toBe("train");

    const { run_id } = await client.runNow(jobId, {
      idempotency_token: randomUUID(),
      python_params: ["--duration_seconds", "1"],
    });
    const run = await waitForRun(client, run_id, terminated);
    expect(run).toMatchObject({
      job_id: jobId,
      run_type: "JOB_RUN",
      run_name: "nightly churn",
      state: { result_state: "SUCCESS" },
    });
    expect(run.tasks![0].spark_python_task?.parameters).toEqual(["--duration_seconds", "1"]);
    expect(await client.getJob(123).catch((e: CloudApiError) => e.errorCode)).toBe("RESOURCE_DOES_NOT_EXIST");

    for (const name of ["weekly churn", "weekly churn"])
      await raw("POST", "/api/2.2/jobs/create", {
        name,
        tasks: [{ task_key: "t", spark_python_task: { python_file: target.pythonFile } }],
      });
    const first = await raw("GET", "/api/2.2/jobs/list?name=WEEKLY%20CHURN&limit=1");
    expect(first.body).toMatchObject({ has_more: true, jobs: [{ settings: { name: "weekly churn" } }] });
    expect((first.body.jobs as { settings: object }[])[0].settings).not.toHaveProperty("tasks");
    const second = await raw(
      "GET",
      `/api/2.2/jobs/list?name=weekly%20churn&limit=1&page_token=${first.body.next_page_token}`,
    );
    expect(second.body).toMatchObject({ has_more: false, jobs: [{ settings: { name: "weekly churn" } }] });
    expect((second.body.jobs as { job_id: number }[])[0].job_id).not.toBe(
      (first.body.jobs as { job_id: number }[])[0].job_id,
    );
  });

  it("retries a 429 after the Retry-After it was given", async () => {
    const waits: number[] = [];
    const client = createDatabricksClient({
      baseUrl: sandbox.url,
      getToken: staticTokenProvider(sandbox.token),
      sleep: async (ms) => void waits.push(ms),
    });
    const { run_id } = await client.submitRun({
      run_name: "throttled",
      idempotency_token: randomUUID(),
      tasks: [pythonTask(target, ["--duration_seconds", "600"])],
    });
    await sandbox.injectFaults([
      { path: "^/api/2.2/jobs/runs/get$", status: 429, retryAfterSeconds: 7, times: 2 },
    ]);
    const run = await client.getRun(run_id);
    expect(run.run_id).toBe(run_id);
    expect(waits).toEqual([7000, 7000]);
    await client.cancelRun(run_id);
  });

  it("keeps one run when the answer to a submission is lost and the client retries with the same token", async () => {
    let lostRunId: number | undefined;
    // The service creates the run but its answer never arrives, as with a timeout on the way back.
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (lostRunId === undefined && String(input).endsWith("/runs/submit")) {
        lostRunId = ((await response.json()) as { run_id: number }).run_id;
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      }
      return response;
    };
    const waits: number[] = [];
    const client = createDatabricksClient({
      baseUrl: sandbox.url,
      getToken: staticTokenProvider(sandbox.token),
      fetch: losingFetch,
      sleep: async (ms) => void waits.push(ms),
    });
    const since = Date.now();
    const { run_id } = await client.submitRun({
      run_name: "answer lost",
      idempotency_token: randomUUID(),
      tasks: [pythonTask(target, ["--duration_seconds", "600"])],
    });
    expect(waits).toHaveLength(1);
    expect(run_id).toBe(lostRunId);
    const runs = await collect(client.listRuns({ startTimeFrom: since }));
    expect(runs.map((r) => r.run_id)).toEqual([run_id]);
    await client.cancelRun(run_id);
  });
});

const contractHost = process.env.DATABRICKS_CONTRACT_HOST;
const contractToken = process.env.DATABRICKS_CONTRACT_TOKEN;

describe.runIf(contractHost && contractToken)("Databricks Jobs contract: real workspace", () => {
  const target: Target = {
    client: createDatabricksClient({
      baseUrl: contractHost!,
      getToken: staticTokenProvider(contractToken ?? "unset"),
    }),
    raw: rawCaller(contractHost!, contractToken ?? "unset"),
    pythonFile:
      process.env.DATABRICKS_CONTRACT_PYTHON_FILE ?? "/Workspace/Shared/switchboard/contract_noop.py",
    cluster: {
      spark_version: "15.4.x-scala2.12",
      node_type_id: process.env.DATABRICKS_CONTRACT_NODE_TYPE ?? "Standard_DS3_v2",
      num_workers: 0,
    },
  };
  defineSharedContract(() => target);
});

describe.skipIf(contractHost && contractToken)("Databricks Jobs contract: real workspace", () => {
  it.skip("skipped: set DATABRICKS_CONTRACT_HOST and DATABRICKS_CONTRACT_TOKEN to run the contract against a real workspace", () => {});
});
