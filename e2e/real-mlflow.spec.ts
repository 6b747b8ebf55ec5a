import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { realMlflowEnv, realMlflowUrl } from "./env";
import { signInThroughIdentityProvider } from "./sign-in";

// Compare and a promotion to a new alias against a REAL MLflow 2.22 server, through the second e2e
// stack (sandbox mode, MLFLOW_TRACKING_URI = the real server). The sandbox's Databricks trains into the
// sandbox's own MLflow, so the runs and the model are created here on the real server, as a training
// job would log them; afterwards the real registry is read back to prove the alias really moved.
test.skip(
  !realMlflowUrl,
  "E2E_REAL_MLFLOW_URL is not set: there is no real MLflow server to run against (CI starts one).",
);
test.describe.configure({ mode: "serial" });

const mlflow = createMlflowClient({ baseUrl: realMlflowUrl ?? "http://127.0.0.1:9", retryBudgetMs: 10_000 });
const suffix = randomBytes(3).toString("hex");
const experimentName = `/Shared/e2e-real-${suffix}`;
const modelName = `e2e-real-churn-${suffix}`;
const newAlias = `shadow-${suffix}`;
let experimentId: string;

test.beforeAll(async () => {
  experimentId = await mlflow.createExperiment(experimentName, { tags: { team: "retention" } });
  const runIds: string[] = [];
  for (const [index, family] of ["xgboost", "lightgbm"].entries()) {
    const run = await mlflow.createRun({
      experimentId,
      runName: `${family}-${suffix}`,
      tags: { "mlflow.user": "dana.nguyen@example.com" },
    });
    const at = Date.now();
    const metrics = Array.from({ length: 30 }, (_, step) => [
      { key: "val_loss", value: 0.7 / (step + 1) + index * 0.02, step, timestamp: at + step },
      { key: "auc", value: 0.7 + step / 150 - index * 0.01, step, timestamp: at + step },
    ]).flat();
    await mlflow.logBatch(run.info.runId, {
      params: { model_type: family, train_table: "main.retention.churn_training_2026q4" },
      metrics,
    });
    await mlflow.updateRun(run.info.runId, { status: "FINISHED", endTime: at + 60_000 });
    runIds.push(run.info.runId);
  }
  await mlflow.createRegisteredModel(modelName, {
    description: "Churn model registered on the real MLflow server by the e2e spec",
  });
  await mlflow.createModelVersion({ name: modelName, source: `runs:/${runIds[0]}/model`, runId: runIds[0] });
});

/** A person signed in on the real-MLflow stack, through its sandbox identity provider. */
async function signedIn(browser: Browser, personName: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: realMlflowEnv.APP_URL });
  const page = await context.newPage();
  await signInThroughIdentityProvider(page, personName, "/", realMlflowEnv.APP_URL);
  return page;
}

test("compares two runs read from the real MLflow server", async ({ browser }) => {
  test.setTimeout(120_000);
  const dana = await signedIn(browser, "Dana Nguyen");
  await expect(dana.getByText(/Sandbox \+ real MLflow/)).toBeVisible();

  await dana.goto(`/experiments/${experimentId}`);
  await expect(dana.getByRole("heading", { level: 1, name: experimentName })).toBeVisible();
  const table = dana.getByRole("table", { name: "Runs of this experiment" });
  await expect(table.getByText(`xgboost-${suffix}`)).toBeVisible();
  await expect(table.getByText("dana.nguyen@example.com").first()).toBeVisible();
  const boxes = dana.getByRole("checkbox", { name: /for comparison/ });
  await expect(boxes).toHaveCount(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await dana.getByRole("button", { name: "Compare selected runs" }).click();

  await expect(dana).toHaveURL(/\/experiments\/compare\?runs=/);
  // The worker copies both histories from the real server; the page fills in once it has.
  await expect(dana.getByRole("heading", { level: 3, name: "val_loss" })).toBeVisible({ timeout: 60_000 });
  await expect(dana.getByText(/runs are not in Switchboard's copy yet/)).toHaveCount(0, { timeout: 60_000 });
  await expect(
    dana
      .getByRole("table", { name: /Parameter values per run/ })
      .getByRole("rowheader", { name: /model_type/ }),
  ).toBeVisible();
});

test("promotes a version to a new alias, and the real registry has it", async ({ browser }) => {
  test.setTimeout(150_000);
  expect(await mlflow.findModelVersionByAlias(modelName, newAlias)).toBeNull();

  const dana = await signedIn(browser, "Dana Nguyen");
  await dana.goto(`/models/${encodeURIComponent(modelName)}`);
  await expect(dana.getByRole("heading", { level: 1, name: modelName })).toBeVisible();
  await dana.goto(`/approvals/new?model=${encodeURIComponent(modelName)}&version=1`);
  await expect(dana.getByLabel("Registered model")).toHaveValue(modelName);
  await dana.getByLabel("Promote to").selectOption("alias");
  await dana.getByLabel("Alias").fill(newAlias);
  await dana.getByLabel("Justification").fill("First shadow deployment of the real-server churn model");
  await dana.getByRole("button", { name: "Request promotion" }).click();
  await expect(dana).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const requestUrl = new URL(dana.url()).pathname;
  await expect(
    dana.getByRole("heading", { level: 1, name: `${modelName} v1 → alias @${newAlias}` }),
  ).toBeVisible();

  const riley = await signedIn(browser, "Riley Chen");
  await riley.goto(requestUrl);
  await riley.getByRole("button", { name: "Approve" }).click();
  await riley.getByLabel("Comment").first().fill("Nothing holds this alias yet; fine to shadow.");
  await riley.getByRole("button", { name: "Approve" }).click();
  await expect(async () => {
    await riley.reload();
    await expect(riley.getByText(/^Applied$/).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  const holder = await mlflow.getModelVersionByAlias(modelName, newAlias);
  expect(holder).toMatchObject({ name: modelName, version: "1", aliases: [newAlias] });
  expect((await mlflow.getRegisteredModel(modelName)).aliases).toEqual([{ alias: newAlias, version: "1" }]);
});
