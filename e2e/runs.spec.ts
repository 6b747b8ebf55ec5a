import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Issue 4's journey: a data scientist finds a table, launches a run on it and watches it live to
// success; plus the failure and cancel paths. The sandbox runs the training for real (speed 20).
test.describe.configure({ mode: "serial" });

async function launchChurnRun(
  page: Page,
  runName: string,
  {
    epochs,
    extraArguments,
    featureService,
  }: { epochs: number; extraArguments?: string; featureService?: string },
) {
  await page.goto("/runs");
  await page.getByRole("link", { name: "Launch run" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch a training run" })).toBeVisible();
  await page.getByRole("button", { name: "Churn — logistic regression" }).click();
  await page.getByLabel("Run name").fill(runName);
  await page.getByLabel("Search the catalog").fill("churn_training");
  await page.getByLabel("Training dataset").selectOption("ml.training.churn_training_set");
  await page.getByLabel("Epochs").fill(String(epochs));
  if (extraArguments) await page.getByLabel("Extra script arguments").fill(extraArguments);
  if (featureService) await page.getByLabel("Feature service").selectOption(featureService);
  // DS3 v2 at 0.75 DBU/h, driver plus the preset's 2 workers.
  await expect(page.getByText("2.25 DBU/hour")).toBeVisible();
  await page.getByRole("button", { name: "Launch run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: runName })).toBeVisible();
}

const liveStatus = (page: Page) =>
  page
    .getByRole("status")
    .filter({
      hasText:
        /Queued|Submitting|Pending|Running|Terminating|Cancelling|Succeeded|Failed|Cancelled|Timed out|Internal error/,
    })
    .first();

test("a data scientist launches a churn run on a catalog table and watches it succeed live", async ({
  as,
}) => {
  test.setTimeout(150_000);
  const page = await as("dana");
  const runName = `e2e-churn-${Date.now()}`;
  await launchChurnRun(page, runName, { epochs: 5, featureService: "churn_model_v4" });

  await expect(liveStatus(page)).toContainText("Succeeded", { timeout: 120_000 });
  await expect(page.getByText("5 / 5 epochs").first()).toBeVisible();
  const history = page.getByRole("list", { name: "Status changes, oldest first" });
  for (const status of ["Queued", "Submitting", "Pending", "Succeeded"])
    await expect(history.getByText(status, { exact: true })).toBeVisible();
  await expect(page.getByText("Launched by Dana Nguyen").first()).toBeVisible();
  await expect(page.getByRole("link", { name: /Databricks run \d+/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "loss", exact: true })).toBeVisible({ timeout: 30_000 });

  // In its experiment: the runs of /Shared/churn-model include it, with its MLflow run linked.
  const inExperiment = await page.request.get(
    `/api/runs?experimentName=${encodeURIComponent("/Shared/churn-model")}`,
  );
  expect((await inExperiment.json()).runs.map((r: { runName: string }) => r.runName)).toContain(runName);

  await page.goto("/runs");
  const row = page.getByRole("row").filter({ hasText: runName });
  await expect(row.getByText("Succeeded")).toBeVisible();
  await expect(row.getByText("5 / 5 epochs")).toBeVisible();

  // Issue 16's lineage: the feature service it trained on leads to its views, which list the run as a user.
  await row.getByRole("link", { name: runName }).click();
  await page.getByRole("link", { name: "churn_model_v4", exact: true }).click();
  await expect(page).toHaveURL(/\/features\/services#churn_model_v4$/);
  await page
    .getByRole("region", { name: "churn_model_v4", exact: true })
    .getByRole("link", { name: "customer_churn_features" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "customer_churn_features" })).toBeVisible();
  const users = page.getByRole("table", { name: "Training runs that used customer_churn_features" });
  await users.getByRole("link", { name: runName }).click();
  await expect(page.getByRole("heading", { level: 1, name: runName })).toBeVisible();
});

test("a failing run shows Databricks' error and trace", async ({ as }) => {
  test.setTimeout(150_000);
  const page = await as("dana");
  await launchChurnRun(page, `e2e-fails-${Date.now()}`, { epochs: 6, extraArguments: "--fail_at_epoch 2" });
  await expect(liveStatus(page)).toContainText("Failed", { timeout: 120_000 });
  await expect(page.getByText("The run failed")).toBeVisible();
  await expect(page.getByText(/training diverged at epoch 2/).first()).toBeVisible();
  await expect(page.getByText(/Traceback \(most recent call last\)/)).toBeVisible();
});

test("the launcher cancels a running run", async ({ as }) => {
  test.setTimeout(150_000);
  const page = await as("dana");
  await launchChurnRun(page, `e2e-cancel-${Date.now()}`, { epochs: 500 });
  await expect(liveStatus(page)).toContainText("Running", { timeout: 90_000 });
  await page.getByRole("button", { name: "Cancel run" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel run" }).click();
  await expect(liveStatus(page)).toContainText("Cancelled", { timeout: 90_000 });
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
});

test("the form and the server refuse a bad launch, field by field", async ({ as }) => {
  const page = await as("dana");
  await page.goto("/runs/new");
  await page.getByLabel("Run name").fill("x");
  await page.getByLabel("Epochs").fill("0");
  await page.getByRole("button", { name: "Launch run" }).click();
  await expect(page.getByText("Give the run a name of at least 3 characters").first()).toBeVisible();
  await expect(page).toHaveURL(/\/runs\/new$/);

  // The server applies the same schema (and knows which tables exist).
  const response = await page.request.post("/api/runs", {
    headers: { origin: new URL(page.url()).origin },
    data: {
      runName: "no-such-table",
      experimentName: "/Shared/churn-model",
      datasetFullName: "main.nowhere.nothing",
      modelFamily: "logistic_regression",
      params: { learningRate: 0.1, epochs: 3 },
      cluster: {
        nodeTypeId: "Standard_DS3_v2",
        runtime: "15.4.x-cpu-ml-scala2.12",
        workers: { mode: "fixed", count: 1 },
      },
      timeoutMinutes: 30,
    },
  });
  expect(response.status()).toBe(400);
  expect((await response.json()).error.details[0].path).toEqual(["datasetFullName"]);
});

test("people who may not launch see no launch button and get 403 from the API", async ({ as }) => {
  const page = await as("riley");
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Launch run" })).toHaveCount(0);
  const response = await page.request.post("/api/runs", {
    headers: { origin: new URL(page.url()).origin },
    data: {},
  });
  expect(response.status()).toBe(403);
});
