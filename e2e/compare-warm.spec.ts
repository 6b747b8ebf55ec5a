import { randomBytes } from "node:crypto";
import { createMlflowClient } from "../lib/clients/mlflow";
import { expectNoSeriousAxeViolations } from "./axe-check";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// A comparison whose runs are all in Switchboard's copy: every metric chart is drawn (on a canvas,
// docs/decisions/017), each has its text alternative (a description, a values table on demand), and
// the shared legend picks a run out in every chart from the keyboard. Timings are measured in bench/compare-warm.bench.ts, not here.

const metricKeys = ["train_loss", "val_accuracy", "val_loss"];

test("a warm comparison draws every metric chart, with a text alternative and a keyboard legend", async ({
  as,
}) => {
  // Copying four runs' histories on a busy two-core machine can take most of a minute.
  test.setTimeout(180_000);
  const mlflow = createMlflowClient({
    baseUrl: e2eEnv.SANDBOX_URL,
    getToken: async () => e2eEnv.SANDBOX_TOKEN,
  });
  const { experimentId } = await mlflow.ensureExperiment(
    `/Shared/warm-compare-${randomBytes(3).toString("hex")}`,
  );
  const runIds: string[] = [];
  for (let index = 0; index < 4; index++) {
    const run = await mlflow.createRun({
      experimentId,
      runName: `sweep-${index}`,
      startTime: Date.now() - 60_000,
    });
    const metrics = metricKeys.flatMap((key, k) =>
      Array.from({ length: 200 }, (_, step) => ({
        key,
        value: k === 1 ? 1 - 0.5 / (step + 1 + index) : (index + 1) / (step + 1),
        step,
        timestamp: Date.now() - 60_000 + step,
      })),
    );
    await mlflow.logBatch(run.info.runId, { params: { seed: String(index) }, metrics });
    await mlflow.updateRun(run.info.runId, { status: "FINISHED", endTime: Date.now() });
    runIds.push(run.info.runId);
  }

  const page = await as("dana");
  const url = `/experiments/compare?runs=${runIds.join(",")}`;
  await page.goto(url);
  // The first visit copies the runs; once nothing is pending or sampled the copy is warm.
  await expect(page.getByText(/runs are not in Switchboard's copy yet/)).toHaveCount(0, { timeout: 45_000 });
  await expect(page.getByText(/drawn from a sample of each history/)).toHaveCount(0, { timeout: 45_000 });

  await page.goto(url);
  const charts = page.locator("section", { has: page.getByRole("heading", { name: "Metric charts" }) });
  for (const key of metricKeys) {
    const figure = charts.getByRole("figure", { name: key });
    await expect(figure).toBeVisible();
    // Drawn: the canvas marks itself once every line is on it.
    await expect(figure.locator("canvas[data-drawn]")).toHaveCount(1);
    // The text alternative: a description naming the lowest and highest run, every run's values in a
    // table built when asked for.
    await expect(figure).toHaveAccessibleDescription(
      new RegExp(`^${key}: 4 series from .+ Latest values from .+ \\(sweep-0\\) to .+ \\(sweep-3\\)\\.`),
    );
    const values = figure.getByRole("table", { name: `${key}, per series` });
    await expect(values).toHaveCount(0);
    const showValues = figure.getByRole("button", { name: `Show values of ${key}` });
    await expect(showValues).toHaveAttribute("aria-expanded", "false");
    await showValues.click();
    await expect(figure.getByRole("button", { name: `Hide values of ${key}` })).toHaveAttribute(
      "aria-expanded",
      "true",
    );
    await expect(values.getByRole("rowheader")).toHaveCount(runIds.length);
    await expect(values.getByRole("rowheader", { name: "sweep-3" })).toBeAttached();
  }
  await expect(charts.locator("figure")).toHaveCount(metricKeys.length);
  await expect(charts.locator("figure canvas[data-drawn]")).toHaveCount(metricKeys.length);
  // With the values tables open and the tables below the charts in.
  await expect(page.getByRole("heading", { name: "Parameters", exact: true })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // One legend for all charts: one tab stop, arrows move, Enter picks the run out, Escape clears.
  const legend = page.getByRole("toolbar", { name: "Runs in the charts" });
  await expect(legend.getByRole("button")).toHaveCount(runIds.length);
  await legend.getByRole("button", { name: "sweep-0" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(legend.getByRole("button", { name: "sweep-1" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(legend.getByRole("button", { name: "sweep-1" })).toHaveAttribute("aria-pressed", "true");
  await expect(charts.locator("figure canvas[data-drawn]")).toHaveCount(metricKeys.length);
  await page.keyboard.press("Escape");
  await expect(legend.getByRole("button", { name: "sweep-1" })).toHaveAttribute("aria-pressed", "false");
  await page.screenshot({ path: "test-results/compare-warm.png", fullPage: true });
});

test("an admin pins an experiment for background copying; it is audited and others see it pinned", async ({
  as,
}) => {
  const mlflow = createMlflowClient({
    baseUrl: e2eEnv.SANDBOX_URL,
    getToken: async () => e2eEnv.SANDBOX_TOKEN,
  });
  const { experimentId } = await mlflow.ensureExperiment(`/Shared/pinned-${randomBytes(3).toString("hex")}`);
  const dana = await as("dana");
  await dana.goto(`/experiments/${experimentId}`);
  await expect(dana.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(dana.getByRole("button", { name: /Pin/ })).toHaveCount(0);
  expect(
    (await dana.request.put(`/api/experiments/${experimentId}/pin`, { data: { isPinned: true } })).status(),
  ).toBe(403);

  const ada = await as("ada");
  await ada.goto(`/experiments/${experimentId}`);
  const pin = ada.getByRole("button", { name: "Pin for background copying" });
  await expect(pin).toHaveAttribute("aria-pressed", "false");
  await pin.click();
  await expect(ada.getByRole("status").filter({ hasText: "Pinned: the worker copies" })).toBeVisible();
  await expect(ada.getByRole("button", { name: "Pinned for background copying" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  expect(
    (await ada.request.put(`/api/experiments/${experimentId}/pin`, { data: { isPinned: "yes" } })).status(),
  ).toBe(400);

  await dana.reload();
  await expect(dana.getByText("Pinned by an admin: its runs are copied ahead of time.")).toBeVisible();
  await ada.goto(`/audit?action=experiment.pinned&entityType=WatchedExperiment&entityId=${experimentId}`);
  await expect(ada.getByRole("cell", { name: "experiment.pinned" }).first()).toBeVisible();
});
