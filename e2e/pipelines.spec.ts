import { expect, test } from "./fixtures";

// Issue 16's pipelines journey: a data scientist sees last night's run of the hourly DAG and its
// tasks, triggers a run and follows it to the Databricks run it submits. The sandbox's Airflow runs
// the DAG (speed 20) and its Databricks task submits to the sandbox's Jobs API.
test.describe.configure({ mode: "serial" });

test("a data scientist sees last night's pipeline run, triggers one and follows it to its Databricks run", async ({
  as,
}) => {
  test.setTimeout(150_000);
  const page = await as("dana");
  await page.goto("/pipelines");
  await expect(page.getByRole("heading", { level: 1, name: "Pipelines" })).toBeVisible();
  await page.getByRole("link", { name: "telco_churn_hourly" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "telco_churn_hourly" })).toBeVisible();

  // Last night's 02:00 UTC run (the sandbox's history covers 36 hours, newest 25 on the first page):
  // its tasks with their states and tries, and the quality results its validation returned.
  const runs = page.getByRole("table", { name: /Runs of telco_churn_hourly/ });
  await runs
    .getByRole("row")
    .filter({ hasText: "02:00 UTC" })
    .filter({ hasText: "Scheduled" })
    .first()
    .getByRole("link")
    .click();
  await expect(
    page.getByRole("heading", { level: 1, name: /telco_churn_hourly · \d{4}-\d{2}-\d{2} 02:00 UTC/ }),
  ).toBeVisible();
  const tasks = page.getByRole("table", { name: /Task instances of scheduled__/ });
  for (const task of ["ingest_cdr_extract", "validate_customer_features", "submit_churn_feature_build"])
    await expect(
      tasks
        .getByRole("row")
        .filter({ hasText: task })
        .getByText(/Success|Failed|Upstream failed/),
    ).toBeVisible();
  await expect(
    tasks
      .getByRole("row")
      .filter({ hasText: "ingest_cdr_extract" })
      .getByText(/[12] of 3/),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Data quality: validate_customer_features" })).toBeVisible();
  await expect(page.getByText(/\d of 5 expectations met/)).toBeVisible();

  // Trigger one with a conf and follow it live.
  await page.getByRole("link", { name: "telco_churn_hourly" }).click();
  await page.getByLabel("Configuration (conf)").fill('{"reason": "e2e journey"}');
  await page.getByLabel("Note").fill("Checking the feature build");
  await page.getByRole("button", { name: "Trigger run" }).click();
  await expect(page).toHaveURL(/\/pipelines\/telco_churn_hourly\/runs\/switchboard__[0-9a-f-]{36}$/);
  await expect(page.getByText("Triggered by Dana Nguyen")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Success" })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('"reason": "e2e journey"')).toBeVisible();

  const databricksLink = page.getByRole("link", { name: /^Databricks run \d+$/ });
  await expect(databricksLink).toBeVisible();
  const databricksRunId = (await databricksLink.textContent())!.replace("Databricks run ", "");
  await databricksLink.click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Databricks run ${databricksRunId}` }),
  ).toBeVisible();
  await expect(
    page.getByText("telco_churn_hourly.submit_churn_feature_build, submitted by submit_churn_feature_build"),
  ).toBeVisible();
  await expect(
    page.getByRole("table", { name: /Tasks of Databricks run/ }).getByText("Success"),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: /Open in Databricks/ })).toHaveAttribute(
    "href",
    new RegExp(`#job/\\d+/run/${databricksRunId}$`),
  );
});

test("an on-call engineer reads pipelines but cannot trigger; an admin pauses and unpauses a DAG", async ({
  as,
}) => {
  const omar = await as("omar");
  await omar.goto("/pipelines/telco_churn_hourly");
  await expect(omar.getByRole("heading", { level: 1, name: "telco_churn_hourly" })).toBeVisible();
  await expect(omar.getByRole("button", { name: "Trigger run" })).toHaveCount(0);
  const refused = await omar.request.post("/api/pipelines/telco_churn_hourly/runs", {
    data: { conf: {} },
    headers: { origin: new URL(omar.url()).origin },
  });
  expect(refused.status()).toBe(403);

  const ada = await as("ada");
  await ada.goto("/pipelines/network_kpi_daily");
  await expect(ada.getByText("Paused", { exact: true })).toBeVisible();
  await ada.getByRole("button", { name: "Unpause" }).click();
  await ada.getByRole("dialog").getByRole("button", { name: "Unpause" }).click();
  await expect(ada.getByText("Active", { exact: true })).toBeVisible();
  await ada.getByRole("button", { name: "Pause" }).click();
  await ada.getByRole("dialog").getByRole("button", { name: "Pause" }).click();
  await expect(ada.getByText("Paused", { exact: true })).toBeVisible();
  const badConf = await ada.request.post("/api/pipelines/telco_churn_hourly/runs", {
    data: { conf: [1, 2] },
    headers: { origin: new URL(ada.url()).origin },
  });
  expect(badConf.status()).toBe(400);
});
