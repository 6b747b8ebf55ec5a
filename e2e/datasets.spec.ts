import { randomUUID } from "node:crypto";
import pg from "pg";
import { formatInteger } from "../components/ui/format";
import { demoPeople } from "../sandbox/oidc/people";
import { findTable } from "../sandbox/unity-catalog/estate";
import { suites } from "../sandbox/unity-catalog/quality";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// Unity Catalog browsing against the sandbox estate: search, the table page's streamed sections,
// the role check, and what a person sees when the SQL warehouse refuses Switchboard.

const sandboxToken = "sandbox-dev-token";

async function setFaults(rules: unknown[] | null) {
  const response = await fetch(`${e2eEnv.SANDBOX_URL}/__sandbox/faults`, {
    method: rules ? "POST" : "DELETE",
    headers: { authorization: `Bearer ${sandboxToken}`, "content-type": "application/json" },
    body: rules ? JSON.stringify({ rules }) : undefined,
  });
  if (!response.ok) throw new Error(`sandbox faults: ${response.status} ${await response.text()}`);
}

/** A finished Switchboard training run on `dataset`, launched by Dana, written straight to the e2e database. */
async function recordTrainingRun(dataset: string, runName: string): Promise<string> {
  const client = new pg.Client({ connectionString: e2eEnv.DATABASE_URL });
  await client.connect();
  try {
    const dana = demoPeople.find((p) => p.login === "dana")!;
    const { rows } = await client.query(
      `INSERT INTO training_runs (id, run_name, kind, experiment_name, dataset_full_name, model_family, params, cluster_spec, timeout_seconds, idempotency_token, status, launched_by_id, updated_at, finished_at)
       SELECT gen_random_uuid(), $1, 'TABULAR', '/Shared/churn', $2, 'xgboost', '{}', '{}', 3600, $3, 'SUCCEEDED', id, now(), now() FROM users WHERE entra_object_id = $4
       RETURNING id`,
      [runName, dataset, randomUUID(), dana.oid],
    );
    if (!rows[0]) throw new Error("Dana has no users row: global setup signs everyone in first");
    return rows[0].id as string;
  } finally {
    await client.end();
  }
}

test.afterEach(() => setFaults(null));

test("a data scientist searches for a table and sees its columns, sample rows, row count, quality, lineage and training runs", async ({
  as,
}) => {
  const fullName = "main.features.customer_features";
  const estate = findTable(fullName)!;
  const runName = `churn-xgb-${randomUUID().slice(0, 6)}`;
  const runId = await recordTrainingRun(fullName, runName);

  const page = await as("dana");
  await page.goto("/datasets");
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
  await page
    .getByRole("searchbox", { name: "Search catalogs, schemas and tables" })
    .fill("customer features");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/datasets\?q=customer\+features/);
  await page.getByRole("link", { name: fullName }).click();

  await expect(page).toHaveURL("/datasets/main/features/customer_features");
  await expect(page.getByRole("heading", { level: 1, name: "customer_features" })).toBeVisible();

  const columns = page.getByRole("table", { name: `Columns of ${fullName}` });
  await expect(columns.getByRole("row")).toHaveCount(estate.columns.length + 1);
  for (const column of estate.columns.slice(0, 3))
    await expect(columns.getByRole("rowheader", { name: column.name, exact: true })).toBeVisible();

  await expect(page.getByText(formatInteger(estate.rowCount()), { exact: true })).toBeVisible();

  const sample = page.getByRole("table", { name: `First 20 rows of ${fullName}` });
  await expect(sample.getByRole("row")).toHaveCount(21);
  await expect(sample.getByRole("row").nth(1)).toContainText(String(estate.rowAt(0).customer_id));

  const quality = page.getByRole("region", { name: "Data quality" });
  const expectations = quality.getByRole("table", {
    name: "Expectations of the latest validation run, failures first",
  });
  await expect(expectations.getByRole("row")).toHaveCount(suites[fullName].length + 1);
  await expect(
    quality.getByText(
      new RegExp(`^(All ${suites[fullName].length} passed|\\d+ of ${suites[fullName].length} failed)$`),
    ),
  ).toBeVisible();
  await expect(
    quality.getByRole("list", { name: "Recent validation runs" }).getByRole("listitem"),
  ).toHaveCount(14);

  const lineage = page.getByRole("region", { name: "Lineage" });
  for (const upstream of estate.upstreams!)
    await expect(lineage.getByRole("link", { name: upstream })).toBeVisible();

  const usage = page.getByRole("region", { name: "Used for training" });
  await expect(usage.getByRole("link", { name: runName })).toHaveAttribute("href", `/runs/${runId}`);

  await lineage.getByRole("link", { name: "ml.training.churn_training_set" }).click();
  await expect(page).toHaveURL("/datasets/ml/training/churn_training_set");
  await expect(page.getByRole("heading", { level: 1, name: "churn_training_set" })).toBeVisible();
});

test("browsing goes catalog → schema → table", async ({ as }) => {
  const page = await as("riley");
  await page.goto("/datasets");
  await page.getByRole("link", { name: /^ml\b/ }).click();
  await expect(page).toHaveURL("/datasets/ml");
  await page.getByRole("link", { name: "training", exact: true }).click();
  await expect(page).toHaveURL("/datasets/ml/training");
  await page.getByRole("link", { name: "churn_holdout", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "churn_holdout" })).toBeVisible();
  await page.goto("/datasets/ml/training/no_such_table");
  await expect(page.getByText("No such catalog, schema or table")).toBeVisible();
});

test("an on-call engineer is refused datasets, in pages and in the API", async ({ as }) => {
  const page = await as("omar");
  await page.goto("/datasets/main/features/customer_features");
  await expect(page).toHaveURL(/\/forbidden/);
  const search = await page.request.get("/api/datasets/search?q=churn");
  expect(search.status()).toBe(403);
  expect((await search.json()).error.code).toBe("FORBIDDEN");
});

test("a warehouse that refuses Switchboard shows an error state with what to do, and Try again recovers", async ({
  as,
}) => {
  const fullName = "main.labels.churn_labels";
  await setFaults([{ path: "^/api/2.0/sql/statements", status: 403, errorCode: "PERMISSION_DENIED" }]);
  const page = await as("dana");
  await page.goto("/datasets/main/labels/churn_labels");

  // Unity Catalog still answers: the columns are there even though every SQL call fails.
  await expect(
    page
      .getByRole("table", { name: `Columns of ${fullName}` })
      .getByRole("rowheader", { name: "churned", exact: true }),
  ).toBeVisible();
  const sampleRegion = page.getByRole("region", { name: "Sample rows" });
  const alert = sampleRegion.getByRole("alert");
  await expect(alert).toContainText("Sample rows unavailable");
  await expect(alert).toContainText("PERMISSION_DENIED");
  await expect(alert).toContainText("CAN USE on the SQL warehouse");
  await expect(page.getByRole("region", { name: "Data quality" }).getByRole("alert")).toContainText(
    "Data-quality results unavailable",
  );

  await setFaults(null);
  await sampleRegion.getByRole("button", { name: "Try again" }).click();
  const sample = sampleRegion.getByRole("table", { name: `First 20 rows of ${fullName}` });
  await expect(sample.getByRole("row")).toHaveCount(21, { timeout: 30_000 });
  await expect(page.getByText(formatInteger(findTable(fullName)!.rowCount()), { exact: true })).toBeVisible();
});
