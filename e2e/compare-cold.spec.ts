import { randomBytes } from "node:crypto";
import { createMlflowClient } from "../lib/clients/mlflow";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// A comparison of runs Switchboard has never seen (logged straight to MLflow, as notebooks do): the
// tables show at once from runs/search, the charts follow as the worker's first copies land, and the
// exact minimum and maximum once the whole histories are copied. MLflow's bulk-interval reads are
// slowed on purpose so the in-between state is there to see.

const auth = { authorization: `Bearer ${e2eEnv.SANDBOX_TOKEN}`, "content-type": "application/json" };

async function setFaults(rules: unknown[] | null) {
  const response = await fetch(`${e2eEnv.SANDBOX_URL}/__sandbox/faults`, {
    method: rules ? "POST" : "DELETE",
    headers: auth,
    body: rules ? JSON.stringify({ rules }) : undefined,
  });
  if (!response.ok) throw new Error(`sandbox faults: ${response.status} ${await response.text()}`);
}

test.afterEach(async () => setFaults(null));

test("a comparison of runs never copied shows its tables at once and its charts as each copy lands", async ({
  as,
}) => {
  const mlflow = createMlflowClient({
    baseUrl: e2eEnv.SANDBOX_URL,
    getToken: async () => e2eEnv.SANDBOX_TOKEN,
  });
  const { experimentId } = await mlflow.ensureExperiment(
    `/Shared/notebook-runs-${randomBytes(3).toString("hex")}`,
  );
  const runIds: string[] = [];
  for (const [index, optimizer] of ["adam", "sgd"].entries()) {
    const run = await mlflow.createRun({
      experimentId,
      runName: `notebook-${optimizer}`,
      startTime: Date.now() - 60_000,
    });
    // 1,000 steps: more than the 320-point first look, so it is a sample and the whole history follows.
    const metrics = Array.from({ length: 1000 }, (_, step) => ({
      key: "val_loss",
      value: (index + 1) / (step + 1) + (step === 500 ? 3 : 0),
      step,
      timestamp: Date.now() - 60_000 + step,
    }));
    await mlflow.logBatch(run.info.runId, { params: { optimizer, batch_size: "64" }, metrics });
    await mlflow.updateRun(run.info.runId, { status: "FINISHED", endTime: Date.now() });
    runIds.push(run.info.runId);
  }
  await setFaults([{ path: "get-history-bulk-interval$", latencyMs: 4_000, times: 2 }]);

  const page = await as("dana");
  await page.goto(`/experiments/compare?runs=${runIds.join(",")}`);
  await expect(page.getByText("2 of 2 runs are not in Switchboard's copy yet")).toBeVisible();
  await expect(page.getByText("Charts ready for 0 of 2 runs")).toBeVisible();
  // The summary is there before any chart: parameters and latest values from runs/search.
  const params = page.getByRole("table", { name: /Parameter values per run/ });
  await expect(params.getByRole("rowheader", { name: /optimizer/ })).toBeVisible();
  await expect(page.getByText("Waiting for the first copy of these runs from MLflow…")).toBeVisible();
  await expect(params.getByRole("cell", { name: "sgd", exact: true })).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: /Final and best value/ })
      .getByText(/0\.002/)
      .first(),
  ).toBeVisible();

  await expect(page.getByText(/runs are not in Switchboard's copy yet/)).toHaveCount(0, { timeout: 45_000 });
  await expect(page.getByRole("heading", { level: 3, name: "val_loss" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "val_loss" })).toBeVisible();
  await expect(page.getByText("None of these runs logged this metric yet.")).toHaveCount(0);
  // The whole histories follow: the exact maximum (the spike at step 500) and the best run are marked.
  await expect(page.getByText(/drawn from a sample of each history/)).toHaveCount(0, { timeout: 45_000 });
  await expect(
    page
      .getByRole("table", { name: /Final and best value/ })
      .getByText("best", { exact: true })
      .first(),
  ).toBeVisible({ timeout: 10_000 });
});
