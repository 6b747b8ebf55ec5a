import { expect, test } from "./fixtures";

// Issue 16's feature-store journey: a data scientist finds a feature view, sees it is stale and which
// models use it. The sandbox serves Feast's registry REST API with network_usage_daily's daily
// materialization stopped three days before it first started (TTL one day), and its seeded MLflow runs
// record the feature service they trained on (feast.feature_service).

test("a data scientist finds a feature view, sees it is stale and which models use it", async ({ as }) => {
  const page = await as("dana");
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Features" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Features" })).toBeVisible();
  await expect(page.getByText("1 of 4 feature views are stale")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("features-list.png"), fullPage: true });

  await page.getByLabel("Search feature views by name, entity or description").fill("usage");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/features\?q=usage/);
  const views = page.getByRole("table", { name: "Feature views, stale first" });
  const row = views.getByRole("row").filter({ hasText: "network_usage_daily" });
  await expect(row.getByText("Stale")).toBeVisible();
  await expect(row.getByText("subscriber")).toBeVisible();
  await expect(views.getByRole("row")).toHaveCount(2); // header and the one match
  await row.getByRole("link", { name: /network_usage_daily/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "network_usage_daily" })).toBeVisible();
  await expect(page.getByText("Stale: older than its TTL")).toBeVisible();
  await expect(page.getByText(/longer than its 1d 0h TTL/).first()).toBeVisible();
  const models = page.getByRole("region", { name: "Models trained on it" });
  await expect(models.getByRole("link", { name: "network-anomaly-detector", exact: true })).toBeVisible();
  const runs = page.getByRole("table", { name: "Training runs that used network_usage_daily" });
  await expect(runs.getByRole("row").filter({ hasText: "network_anomaly_v1" }).first()).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Features of network_usage_daily" }).getByText("dropped_calls_7d"),
  ).toBeVisible();
  await expect(page.getByText(/abfss:\/\/features@/)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("feature-view.png"), fullPage: true });

  await models.getByRole("link", { name: "network-anomaly-detector", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /network-anomaly-detector/ })).toBeVisible();
});

test("entities, services and the dataset page lead to feature views; an unknown view is not found", async ({
  as,
}) => {
  const page = await as("dana");
  await page.goto("/features/entities");
  const entities = page.getByRole("table", { name: /Feast entities/ });
  await expect(entities.getByRole("row").filter({ hasText: "subscriber_id" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("feature-entities.png"), fullPage: true });
  await page.getByRole("link", { name: "Feature services" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "churn_model_v4_usage" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("feature-services.png"), fullPage: true });

  await page.goto("/datasets/main/features/customer_features");
  const fed = page.getByRole("region", { name: "Feature views" });
  await fed.getByRole("link", { name: "customer_churn_features" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "customer_churn_features" })).toBeVisible();
  await expect(page.getByText("Fresh", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "main.features.customer_features" })).toBeVisible();

  const missing = await page.goto("/features/views/no_such_view");
  expect(missing?.status()).toBe(404);
  await expect(page.getByText("No such feature view")).toBeVisible();

  const omar = await as("omar");
  await omar.goto("/features");
  await expect(omar.getByRole("heading", { level: 1, name: "Features" })).toBeVisible();
});
