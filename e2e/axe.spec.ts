import type { Page } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe-check";
import { e2eEnv, storageStatePath, type DemoLogin } from "./env";
import { expect, test } from "./fixtures";
import { sandboxRequest } from "./sandbox-api";

async function postAs(page: Page, path: string, data: unknown): Promise<{ id: string }> {
  const response = await page.request.post(path, { headers: { origin: e2eEnv.APP_URL }, data });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as { id: string };
}

type DetailPage = "a run" | "an experiment" | "the comparison" | "an approval";
const detailPageViewers: [DetailPage, DemoLogin][] = [
  ["a run", "dana"],
  ["an experiment", "dana"],
  ["the comparison", "dana"],
  ["an approval", "riley"],
];

/** The detail pages need records: the seeded experiment and its runs, a run of ours and a promotion request (made if none exist yet). */
async function detailPages(dana: Page): Promise<Record<DetailPage, string>> {
  const { experiment } = await sandboxRequest<{ experiment: { experiment_id: string } }>(
    `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent("/Shared/churn-model")}`,
  );
  const { runs: mlflowRuns } = await sandboxRequest<{ runs: Array<{ info: { run_id: string } }> }>(
    "/api/2.0/mlflow/runs/search",
    { experiment_ids: [experiment.experiment_id], max_results: 3 },
  );
  await dana.goto("/");
  const listed = (await (await dana.request.get("/api/runs?limit=1")).json()) as {
    runs: Array<{ id: string }>;
  };
  const runId =
    listed.runs[0]?.id ??
    (
      await postAs(dana, "/api/runs", {
        runName: `e2e-axe-${Date.now().toString(36)}`,
        experimentName: "/Shared/churn-model",
        datasetFullName: "main.features.customer_features",
        modelFamily: "logistic_regression",
        params: { learningRate: 0.1, epochs: 3 },
        cluster: {
          nodeTypeId: "Standard_DS3_v2",
          runtime: "15.4.x-cpu-ml-scala2.12",
          workers: { mode: "fixed", count: 1 },
        },
        timeoutMinutes: 30,
      })
    ).id;
  const requests = (await (await dana.request.get("/api/promotions?scope=all&limit=1")).json()) as Array<{
    id: string;
  }>;
  let promotionId = requests[0]?.id;
  if (!promotionId) {
    const { model_versions: versions } = await sandboxRequest<{
      model_versions?: Array<{ version: string }>;
    }>("/api/2.0/mlflow/registered-models/get-latest-versions", {
      name: "churn-classifier",
      stages: ["Staging", "Production"],
    });
    promotionId = (
      await postAs(dana, "/api/promotions", {
        modelName: "churn-classifier",
        version: versions?.[0]?.version ?? "1",
        target: { kind: "alias", name: `axe${Date.now().toString(36)}` },
        justification: "axe check: a request to open",
        checklist: [],
      })
    ).id;
  }
  return {
    "a run": `/runs/${runId}`,
    "an experiment": `/experiments/${experiment.experiment_id}`,
    "the comparison": `/experiments/compare?runs=${mlflowRuns.map((run) => run.info.run_id).join(",")}`,
    "an approval": `/approvals/${promotionId}`,
  };
}

// axe over every main page, as a person allowed to open it: no serious or critical violation (WCAG 2.1 AA rules).
const pages: [string, DemoLogin][] = [
  ["/", "dana"],
  ["/", "riley"],
  ["/", "omar"],
  ["/datasets", "dana"],
  ["/datasets?q=churn", "dana"],
  ["/datasets/main/features/customer_features", "dana"],
  ["/runs", "dana"],
  ["/runs/new", "dana"],
  ["/experiments", "dana"],
  ["/models", "dana"],
  ["/models/churn-classifier", "dana"],
  ["/approvals", "riley"],
  ["/monitoring", "omar"],
  ["/monitoring/models/network-anomaly", "omar"],
  ["/monitoring/drift", "omar"],
  ["/monitoring/models/network-anomaly/drift", "omar"],
  ["/monitoring/alerts", "omar"],
  ["/monitoring/alerts/rules", "omar"],
  ["/audit", "ada"],
  ["/pipelines", "omar"],
  ["/pipelines/telco_churn_hourly", "dana"],
  ["/pipelines/adf/ChurnFeaturesHourly", "dana"],
  ["/admin", "ada"],
  ["/notifications", "riley"],
  ["/forbidden?need=admin:manage", "dana"],
];

/** No serious or critical violation of the WCAG 2.1 AA rules on the page, once its streamed sections are in. */
async function expectNoSeriousViolations(page: Page, path: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // Let streamed sections (Suspense) arrive before judging the page; polling pages never go idle.
  await page.waitForLoadState("networkidle", { timeout: 2_500 }).catch(() => undefined);
  await expectNoSeriousAxeViolations(page);
}

// One test per page, so one slow or failing page names itself and does not hide the rest.
for (const [path, login] of pages) {
  test(`axe: ${path} as ${login}`, async ({ as }) => {
    await expectNoSeriousViolations(await as(login), path);
  });
}

test.describe("axe on detail pages", () => {
  let paths: Record<DetailPage, string>;
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ storageState: storageStatePath("dana") });
    paths = await detailPages(await context.newPage());
    await context.close();
  });
  for (const [name, login] of detailPageViewers) {
    test(`axe: ${name} as ${login}`, async ({ as }) => {
      await expectNoSeriousViolations(await as(login), paths[name]);
    });
  }
});
