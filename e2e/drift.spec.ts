import type { Page } from "@playwright/test";
import pg from "pg";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";
import { sandboxRequest } from "./sandbox-api";

// Drift end to end: the sandbox's KServe payload logger posts churn-classifier requests to
// /api/ingest/kserve, the monitor is built from the served version's training data, and a drift
// injected through the sandbox's traffic admin endpoint shows on the service's drift page.

const driftPage = "/monitoring/models/churn-classifier/drift";

async function churnRevisions(): Promise<string[]> {
  const traffic = (await sandboxRequest("/__sandbox/traffic")) as {
    revisions: Array<{ service: string; revision: string }>;
  };
  return traffic.revisions
    .filter((revision) => revision.service === "churn-classifier")
    .map((revision) => revision.revision);
}

/** Requests aggregated for churn-classifier so far (all features count every row). */
async function aggregatedRows(): Promise<number> {
  const client = new pg.Client({ connectionString: e2eEnv.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT coalesce(sum(w.total), 0)::int AS rows FROM feature_windows w JOIN drift_monitors m ON m.id = w.monitor_id
       WHERE m.service_name = 'churn-classifier' AND w.feature = 'tenure_months'`,
    );
    return rows[0].rows as number;
  } finally {
    await client.end();
  }
}

/** The current share of the overlay's last bin ("≥ …", values above the reference's top quantile). */
async function topBinCurrentShare(page: Page): Promise<number> {
  const table = page.getByRole("table", { name: "tenure_months: reference vs current" });
  const lastRow = table.getByRole("row").last();
  const current = await lastRow.getByRole("cell").last().textContent();
  return Number((current ?? "").replace("%", "")) / 100;
}

test.describe.configure({ timeout: 240_000 });

test.afterAll(async () => {
  for (const revision of await churnRevisions())
    await sandboxRequest(`/__sandbox/traffic/revisions/${revision}`, undefined, "DELETE");
});

test("a drift injected in the sandbox shows on the service's drift page", async ({ as }) => {
  const page = await as("omar");

  // The payload logger reaches the ingest endpoint and the monitor's windows fill.
  await expect.poll(aggregatedRows, { timeout: 90_000, intervals: [2_000] }).toBeGreaterThan(10);
  await page.goto(`${driftPage}?feature=tenure_months`);
  await expect(page.getByRole("heading", { level: 1, name: "Drift · churn-classifier" })).toBeVisible();
  await expect(page.getByText(/churn-classifier v\d+/)).toBeVisible();
  await expect(page.getByRole("figure", { name: "Dataset drift share" })).toBeVisible();
  const before = await topBinCurrentShare(page);
  expect(before).toBeLessThan(0.2);

  // Tenure shifted by 8 standard deviations: nearly every new request lands in the top bin.
  const rowsAtDrift = await aggregatedRows();
  for (const revision of await churnRevisions())
    await sandboxRequest(`/__sandbox/traffic/revisions/${revision}`, { drift: { tenure_months: 8 } }, "PUT");
  await expect
    .poll(aggregatedRows, { timeout: 120_000, intervals: [2_000] })
    .toBeGreaterThan(rowsAtDrift + 20);

  await expect
    .poll(
      async () => {
        await page.goto(`${driftPage}?feature=tenure_months`);
        return topBinCurrentShare(page);
      },
      { timeout: 120_000, intervals: [3_000] },
    )
    .toBeGreaterThan(0.3);
  const tenureRow = page
    .getByRole("table", { name: "Drift per feature in the selected window" })
    .getByRole("row", { name: /tenure_months/ });
  await expect(tenureRow.getByText("Drifted")).toBeVisible();
  // Small windows are judged by KS, windows over 1,000 rows by normed Wasserstein (windowDriftMethod).
  await expect(
    tenureRow.getByRole("cell", { name: /^(Normed Wasserstein|Kolmogorov–Smirnov \(p-value\))$/ }),
  ).toBeVisible();
});
