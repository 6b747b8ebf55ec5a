import { expect, test } from "./fixtures";

// The sandbox seeds /Shared/churn-model with 24 runs (xgboost, lightgbm, logistic_regression; train_loss,
// val_loss, auc, accuracy, f1). Comparing runs fills Switchboard's metric cache through the worker.
test("a data scientist filters an experiment's runs, compares two and shares the comparison", async ({
  as,
}) => {
  const page = await as("dana");
  await page.goto("/experiments");
  await page.getByRole("link", { name: "/Shared/churn-model" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "/Shared/churn-model" })).toBeVisible();

  await test.step("metric columns come before parameters, and the columns picked are remembered", async () => {
    const experimentUrl = page.url();
    // What the column picker submits (a GET form): these columns, then the bare page again.
    await page.goto(`${experimentUrl}?params=model_type&metrics=auc`);
    await expect(
      page
        .getByRole("table", { name: "Runs of this experiment" })
        .getByRole("columnheader", { name: /^model_type/ }),
    ).toBeVisible();
    await expect
      .poll(async () =>
        (await page.context().cookies()).some((cookie) => cookie.name.startsWith("sb-columns-")),
      )
      .toBe(true);
    await page.goto(experimentUrl);
    const headers = (
      await page
        .getByRole("table", { name: "Runs of this experiment" })
        .getByRole("columnheader")
        .allInnerTexts()
    ).map((text) => text.trim());
    const auc = headers.findIndex((text) => text.startsWith("auc"));
    const modelType = headers.findIndex((text) => text.startsWith("model_type"));
    expect(auc, headers.join(" | ")).toBeGreaterThan(-1);
    expect(modelType, headers.join(" | ")).toBeGreaterThan(auc);
    expect(headers.some((text) => text.startsWith("val_loss"))).toBe(false);
  });

  const filter = page.getByRole("textbox", { name: "Filter" });
  await filter.fill("params.model_type = 'xgboost' OR metrics.auc > 0.5");
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page.getByText(/MLflow could not use this search/)).toBeVisible();
  await expect(page.getByText("How MLflow filters look")).toBeVisible();
  await expect(filter).toHaveAttribute("aria-invalid", "true");

  await filter.fill("params.model_type = 'xgboost' AND attributes.status = 'FINISHED'");
  await page.getByRole("button", { name: "Apply filter" }).click();
  const rows = page.getByRole("table", { name: "Runs of this experiment" }).getByRole("row");
  await expect(rows.nth(1)).toBeVisible();
  await expect(page.getByText(/MLflow could not use this search/)).toHaveCount(0);
  const boxes = page.getByRole("checkbox", { name: /for comparison/ });
  expect(await boxes.count()).toBeGreaterThanOrEqual(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("button", { name: "Compare selected runs" }).click();

  await expect(page).toHaveURL(/\/experiments\/compare\?runs=[\w-]+,[\w-]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Compare runs" })).toBeVisible();
  // Not cached yet the first time: the page says so and fills in once the worker has copied them.
  await expect(page.getByRole("heading", { level: 3, name: "val_loss" })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText(/runs are not in Switchboard's copy yet/)).toHaveCount(0, { timeout: 45_000 });
  await expect(
    page
      .getByRole("table", { name: /Parameter values per run/ })
      .getByRole("rowheader", { name: /model_type/ }),
  ).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: /Final and best value/ })
      .getByText("best", { exact: true })
      .first(),
  ).toBeVisible();
  await expect(page.getByRole("img", { name: /Parallel coordinates of parameters against/ })).toBeVisible();
  // One line per run, even where the runs' parameter sets differ (missing values sit at "not set").
  await expect(
    page.getByRole("img", { name: /Parallel coordinates of parameters against/ }).locator("polyline"),
  ).toHaveCount(2);

  await page.getByRole("checkbox", { name: "Log scale" }).check();
  await page.getByRole("radio", { name: "Wall time" }).check();
  await expect(page).toHaveURL(/x=time&log=1/);
  const shared = page.url();

  const fresh = await as("dana");
  await fresh.goto(shared);
  await expect(fresh.getByRole("checkbox", { name: "Log scale" })).toBeChecked();
  await expect(fresh.getByRole("radio", { name: "Wall time" })).toBeChecked();
  await expect(fresh.getByRole("heading", { level: 3, name: "val_loss" })).toBeVisible();
  await expect(fresh.getByText(/runs are not in Switchboard's copy yet/)).toHaveCount(0);
});

test("an experiment id MLflow does not know is a 404 page, not an error", async ({ as }) => {
  const page = await as("dana");
  for (const id of ["abc", "99999"]) {
    const response = await page.goto(`/experiments/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("No such experiment")).toBeVisible();
  }
  await page.getByRole("link", { name: "Browse experiments" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
});
