import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { createCloudClients } from "@/lib/cloud";
import { createFeatureService } from "@/lib/dal/features";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { reconcileRuns } from "./handlers/training-runs";
import {
  churnDraft,
  createRun,
  sandboxRunsBySwitchboardId,
  startInProcessWorkers,
  startTestStack,
  statusHistory,
  waitFor,
  waitForTerminal,
  workerDeps,
  type TestStack,
} from "@/lib/testing/worker-stack";
import { jobIds } from "@/lib/queue/job-ids";

let stack: TestStack;
let workers: Awaited<ReturnType<typeof startInProcessWorkers>>;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startInProcessWorkers(stack);
});

afterAll(async () => {
  await workers?.close();
  await stack?.close();
});

const run = (id: string) => stack.db.trainingRun.findUniqueOrThrow({ where: { id } });

describe("training runs against the sandbox Databricks and MLflow", () => {
  it("submits, follows through PENDING and RUNNING to SUCCEEDED, links the MLflow run and counts epochs", async () => {
    const id = await createRun(
      stack,
      churnDraft({ runName: "churn-success", params: { learningRate: 0.1, epochs: 5 } }),
    );
    await waitForTerminal(stack, [id]);
    const done = await run(id);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.databricksRunId).not.toBeNull();
    expect(done.databricksRunUrl).toMatch(/^http/);
    expect(done.epochsDone).toBe(5);
    expect(done.epochsTotal).toBe(5);
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());

    const history = await statusHistory(stack, id);
    expect(history[0]).toBe("QUEUED");
    expect(history).toContain("SUBMITTING");
    expect(history).toContain("PENDING");
    expect(history.at(-1)).toBe("SUCCEEDED");
    expect(new Set(history).size).toBe(history.length);

    const mlflowRun = await createCloudClients(stack.config).mlflow.getRun(done.mlflowRunId!);
    expect(mlflowRun.tags["switchboard.run_id"]).toBe(id);
    expect(mlflowRun.info.experimentId).toBe(done.experimentId);
    expect(mlflowRun.params.learning_rate).toBe("0.1");

    const syncJobs = await stack.producer
      .queue("mlflow")
      .getJobs(["waiting", "delayed", "active", "completed", "failed"]);
    expect(
      syncJobs.some(
        (job) => job.id === jobIds.syncMetrics(done.mlflowRunId!, "final") && job.data.isFinal === true,
      ),
    ).toBe(true);
  });

  it("tags a run launched with a feature service, so that service's feature views list it as a user", async () => {
    const id = await createRun(
      stack,
      churnDraft({
        runName: "churn-on-v4",
        featureService: "churn_model_v4",
        params: { learningRate: 0.1, epochs: 2 },
      }),
    );
    await waitForTerminal(stack, [id]);
    const done = await run(id);
    expect(done).toMatchObject({ status: "SUCCEEDED", featureService: "churn_model_v4" });
    const clients = createCloudClients(stack.config);
    expect((await clients.mlflow.getRun(done.mlflowRunId!)).tags["feast.feature_service"]).toBe(
      "churn_model_v4",
    );

    const features = createFeatureService({
      feast: clients.feast,
      project: stack.config.FEAST_PROJECT,
      mlflow: clients.mlflow,
      db: stack.db,
      cacheTtlMs: 0,
    });
    const dana: CurrentUser = {
      id: stack.userId,
      oid: "oid-dana",
      name: "Dana",
      email: null,
      roles: ["DataScientist"],
    };
    const view = await features.getView(dana, "customer_churn_features");
    expect(view.services).toContain("churn_model_v4");
    expect(view.lineage.runs.find((r) => r.switchboardRunId === id)).toMatchObject({
      mlflowRunId: done.mlflowRunId,
      featureService: "churn_model_v4",
      runName: "churn-on-v4",
    });
  });

  it("runs a Gen-AI fine-tune as a notebook task on a GPU node and reports epochs from optimiser steps", async () => {
    const id = await createRun(
      stack,
      churnDraft({
        runName: "llama-lora",
        experimentName: "/Shared/genai-chaos",
        modelFamily: "llm_lora",
        params: { baseModel: "meta-llama/Meta-Llama-3-8B", epochs: 2, batchSize: 8, learningRate: 0.0002 },
        cluster: {
          nodeTypeId: "Standard_NC24ads_A100_v4",
          runtime: "15.4.x-gpu-ml-scala2.12",
          workers: { mode: "fixed", count: 0 },
        },
      }),
    );
    await waitForTerminal(stack, [id]);
    const done = await run(id);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.epochsDone).toBe(2);
    const mlflowRun = await createCloudClients(stack.config).mlflow.getRun(done.mlflowRunId!);
    expect(mlflowRun.params.base_model).toBe("meta-llama/Meta-Llama-3-8B");
  });

  it("records the task's error and trace when training fails", async () => {
    const id = await createRun(
      stack,
      churnDraft({
        runName: "churn-fails",
        params: { learningRate: 0.1, epochs: 6 },
        extraArguments: "--fail_at_epoch 3",
      }),
    );
    await waitForTerminal(stack, [id]);
    const failed = await run(id);
    expect(failed.status).toBe("FAILED");
    expect(failed.errorMessage).toContain("training diverged at epoch 3");
    expect(failed.errorTrace).toContain("Traceback");
    expect(failed.epochsDone).toBeLessThan(3);
    expect((await statusHistory(stack, id)).at(-1)).toBe("FAILED");
  });

  it("cancels a run before it is submitted without ever calling Databricks", async () => {
    const id = await createRun(stack, churnDraft({ runName: "cancel-early" }), { enqueue: false });
    await stack.db.trainingRun.update({ where: { id }, data: { cancelRequestedAt: new Date() } });
    await stack.producer.enqueue("databricks.cancel-run", { runId: id }, { jobId: `cancel-${id}-requested` });
    await waitForTerminal(stack, [id]);
    expect((await run(id)).status).toBe("CANCELLED");
    // The submit job arriving late must not start anything.
    await stack.producer.enqueue("databricks.submit-run", { runId: id }, { jobId: `submit-${id}` });
    await new Promise((r) => setTimeout(r, 500));
    expect((await sandboxRunsBySwitchboardId(stack)).get(id)).toBeUndefined();
  });

  it("cancels a running run on Databricks", async () => {
    const id = await createRun(
      stack,
      churnDraft({ runName: "cancel-running", params: { learningRate: 0.1, epochs: 400 } }),
    );
    await waitFor("the run to be running", async () => (await run(id)).status === "RUNNING", 30_000);
    await stack.db.trainingRun.update({ where: { id }, data: { cancelRequestedAt: new Date() } });
    await stack.producer.enqueue("databricks.cancel-run", { runId: id }, { jobId: `cancel-${id}-requested` });
    await waitForTerminal(stack, [id]);
    const cancelled = await run(id);
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.resultState).toBe("CANCELED");
    expect(await statusHistory(stack, id)).toEqual(
      expect.arrayContaining(["RUNNING", "CANCELLING", "CANCELLED"]),
    );
  });

  it("rides out 429s with Retry-After and 503s on every Databricks call", async () => {
    await stack.sandbox.injectFaults([
      { path: "/jobs/runs/submit", status: 503, times: 2 },
      { path: "/jobs/runs/get$", status: 429, retryAfterSeconds: 1, times: 3 },
      { path: "/jobs/runs/get$", status: 500, times: 2 },
    ]);
    const ids = [
      await createRun(stack, churnDraft({ runName: "faulty-1" })),
      await createRun(stack, churnDraft({ runName: "faulty-2" })),
    ];
    await waitForTerminal(stack, ids);
    await stack.sandbox.clearFaults();
    const sandboxRuns = await sandboxRunsBySwitchboardId(stack);
    for (const id of ids) {
      expect((await run(id)).status).toBe("SUCCEEDED");
      expect(sandboxRuns.get(id)).toHaveLength(1);
    }
  });
});

describe("reconciler", () => {
  it("re-enqueues runs whose jobs vanished from Redis, and leaves queued ones alone", async () => {
    const quiet = pino({ level: "silent" });
    const deps = { ...workerDeps(stack), log: quiet };
    await workers.close();
    const lost = await createRun(stack, churnDraft({ runName: "lost-before-submit" }), { enqueue: false });
    const queued = await createRun(stack, churnDraft({ runName: "still-queued" }));
    // Both rows became due long ago; only the one without a job is missing.
    await stack.db.trainingRun.updateMany({
      where: { id: { in: [lost, queued] } },
      data: { nextCheckAt: new Date(Date.now() - 120_000) },
    });
    expect(await reconcileRuns(deps, quiet)).toEqual({ overdue: 2, requeued: 1 });
    expect(await reconcileRuns(deps, quiet)).toEqual({ overdue: 2, requeued: 0 });

    // Redis loses everything (a restart without persistence): the reconciler brings both back.
    await deleteRedisPrefix(stack.redis, stack.config.REDIS_PREFIX);
    expect(await reconcileRuns(deps, quiet)).toEqual({ overdue: 2, requeued: 2 });
    workers = startInProcessWorkers(stack);
    await waitForTerminal(stack, [lost, queued]);
    const sandboxRuns = await sandboxRunsBySwitchboardId(stack);
    for (const id of [lost, queued]) {
      expect((await run(id)).status).toBe("SUCCEEDED");
      expect(sandboxRuns.get(id)).toHaveLength(1);
    }
  });
});
