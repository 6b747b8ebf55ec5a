import { expectNoSeriousAxeViolations } from "./axe-check";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// Issue 16's pipelines journey where the team uses Azure Data Factory: a data scientist sees last
// night's run of the hourly pipeline and its activities, triggers one with parameters and follows it
// to the Databricks run its notebook activity submitted. The sandbox's factory runs the pipeline on its
// hourly trigger (speed 20) and its notebook activity submits to the sandbox's Jobs API.
test.describe.configure({ mode: "serial" });

const pipeline = "ChurnFeaturesHourly";

test("a data scientist sees last night's Data Factory run, triggers one and follows it to its Databricks run", async ({
  as,
}) => {
  test.setTimeout(150_000);
  const page = await as("dana");
  await page.goto("/pipelines");
  const factory = page.getByRole("table", { name: /Data Factory pipelines of adf-switchboard-sandbox/ });
  await expect(factory).toBeVisible();
  await factory.getByRole("link", { name: pipeline }).click();
  await expect(page.getByRole("heading", { level: 1, name: pipeline })).toBeVisible();
  await expect(page.getByText("Data Factory pipelines have no pause switch.")).toBeVisible();
  await expect(page.getByRole("button", { name: /pause/i })).toHaveCount(0);

  // Last night's 02:00 UTC run, on the first page of runs or the next (ADF pages by continuation token).
  const runs = page.getByRole("table", { name: `Runs of ${pipeline}, newest first` });
  const lastNight = runs
    .getByRole("row")
    .filter({ hasText: / 02:00:\d\d UTC/ })
    .filter({ hasText: "Scheduled" });
  if ((await lastNight.count()) === 0) await page.getByRole("link", { name: /next/i }).click();
  await lastNight.first().getByRole("link").click();
  await expect(
    page.getByRole("heading", { level: 1, name: new RegExp(`${pipeline} · \\d{4}-\\d{2}-\\d{2} 02:00 UTC`) }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/pipelines\/adf\/ChurnFeaturesHourly\/runs\/[0-9a-f-]{36}$/);
  const activities = page.getByRole("table", { name: /Activity runs of / });
  for (const activity of ["IngestCdrExtract", "ValidateCustomerFeatures", "BuildChurnFeatures"])
    await expect(
      activities
        .getByRole("row")
        .filter({ hasText: activity })
        .getByText(/Success|Failed|Not started/),
    ).toBeVisible();
  await expect(
    activities
      .getByRole("row")
      .filter({ hasText: "IngestCdrExtract" })
      .getByText(/[12] of 3/),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Data quality: ValidateCustomerFeatures" })).toBeVisible();
  await expect(page.getByText(/\d of 5 expectations met/)).toBeVisible();
  await page.waitForLoadState("networkidle", { timeout: 2_500 }).catch(() => undefined);
  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: "test-results/adf-run-last-night.png", fullPage: true });

  // Trigger one with parameters and follow it live: the page moves to ADF's runId once the worker has it.
  // Exact: the run page being left has a "Run parameters" block, which a loose label would find first.
  await page.getByRole("link", { name: pipeline }).click();
  await expect(page.getByRole("heading", { level: 1, name: pipeline, exact: true })).toBeVisible();
  await page.getByLabel("Parameters", { exact: true }).fill('{"windowStart": "2026-12-06T02:00:00Z"}');
  await page.getByRole("button", { name: "Trigger run" }).click();
  await expect(page).toHaveURL(/\/pipelines\/adf\/ChurnFeaturesHourly\/runs\/[0-9a-f-]{36}$/, {
    timeout: 30_000,
  });
  await expect(page.getByText("Triggered by Dana Nguyen")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Success" })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('"windowStart": "2026-12-06T02:00:00Z"')).toBeVisible();
  await page.screenshot({ path: "test-results/adf-run-triggered.png", fullPage: true });

  const databricksLink = page.getByRole("link", { name: /^Databricks run \d+$/ });
  await expect(databricksLink).toBeVisible();
  const databricksRunId = (await databricksLink.textContent())!.replace("Databricks run ", "");
  await databricksLink.click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Databricks run ${databricksRunId}` }),
  ).toBeVisible();
  await expect(page.getByText(`submitted by BuildChurnFeatures in ${pipeline} (Data Factory)`)).toBeVisible();
  await expect(
    page.getByRole("table", { name: /Tasks of Databricks run/ }).getByText("Success"),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: /Open in Databricks/ })).toHaveAttribute(
    "href",
    new RegExp(`#job/\\d+/run/${databricksRunId}$`),
  );
});

test("bad parameters are a clear 400 and start nothing; an on-call engineer reads but cannot trigger", async ({
  as,
}) => {
  const dana = await as("dana");
  await dana.goto(`/pipelines/adf/${pipeline}`);
  const headers = { origin: e2eEnv.APP_URL };
  const before = await dana
    .getByRole("list")
    .filter({ hasText: "Dana Nguyen" })
    .getByRole("listitem")
    .count();
  const wrongType = await dana.request.post(`/api/pipelines/adf/${pipeline}/runs`, {
    data: { parameters: { injectQualityIssue: "yes" } },
    headers,
  });
  expect(wrongType.status()).toBe(400);
  expect(((await wrongType.json()) as { error: { message: string } }).error.message).toMatch(
    /injectQualityIssue must be of type Bool/,
  );
  const notObject = await dana.request.post(`/api/pipelines/adf/${pipeline}/runs`, {
    data: { parameters: [1] },
    headers,
  });
  expect(notObject.status()).toBe(400);
  await dana.getByLabel("Parameters", { exact: true }).fill('{"colour": "red"}');
  await dana.getByRole("button", { name: "Trigger run" }).click();
  await expect(dana.getByText("the pipeline has no parameter colour").first()).toBeVisible();
  await dana.reload();
  expect(await dana.getByRole("list").filter({ hasText: "Dana Nguyen" }).getByRole("listitem").count()).toBe(
    before,
  );

  const omar = await as("omar");
  await omar.goto(`/pipelines/adf/${pipeline}`);
  await expect(omar.getByRole("heading", { level: 1, name: pipeline })).toBeVisible();
  await expect(omar.getByRole("button", { name: "Trigger run" })).toHaveCount(0);
  const refused = await omar.request.post(`/api/pipelines/adf/${pipeline}/runs`, {
    data: { parameters: {} },
    headers,
  });
  expect(refused.status()).toBe(403);
});
