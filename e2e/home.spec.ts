import type { Page } from "@playwright/test";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// The home page per person (issue 14): what needs me, one click from its page, driven by permissions.
const model = "churn-classifier";

async function stagingVersion(): Promise<string> {
  const response = await fetch(`${e2eEnv.SANDBOX_URL}/api/2.0/mlflow/registered-models/get-latest-versions`, {
    method: "POST",
    headers: { authorization: `Bearer ${e2eEnv.SANDBOX_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: model, stages: ["Staging"] }),
  });
  const body = (await response.json()) as { model_versions?: Array<{ version: string }> };
  const version = body.model_versions?.[0]?.version;
  if (!version) throw new Error(`${model} has no version in Staging in the e2e sandbox`);
  return version;
}

const post = (page: Page, path: string, data: unknown) =>
  page.request.post(path, { headers: { origin: e2eEnv.APP_URL }, data });
const mainHeadings = (page: Page) => page.getByRole("main").getByRole("heading", { level: 2 });

test("a data scientist trains on a table from its page and follows the run from home", async ({ as }) => {
  test.setTimeout(120_000);
  const page = await as("dana");
  const runName = `e2e-home-${Date.now().toString(36)}`;

  await page.goto("/datasets/main/features/customer_features");
  await page.getByRole("link", { name: "Train on this table" }).click();
  await expect(page).toHaveURL(/\/runs\/new\?dataset=main\.features\.customer_features$/);
  await expect(page.getByLabel("Training dataset")).toHaveValue("main.features.customer_features");
  // The estimate needs only the cluster and timeout, not the whole form (the run name is still empty).
  await expect(page.getByTestId("cost-estimate")).toContainText(
    /at most (?:USD\s)?\S+ for the \d+-minute timeout/,
  );
  await page.getByLabel("Timeout (minutes)").fill("");
  await expect(page.getByTestId("cost-estimate")).toContainText("shown once");
  await page.getByLabel("Timeout (minutes)").fill("60");
  await expect(page.getByTestId("cost-estimate")).toContainText("for the 60-minute timeout");
  await page.getByLabel("Run name").fill(runName);
  await page.getByRole("button", { name: "Launch run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const runUrl = page.url();
  await expect(page.getByRole("link", { name: "main.features.customer_features" })).toHaveAttribute(
    "href",
    "/datasets/main/features/customer_features",
  );

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Good to see you, Dana" })).toBeVisible();
  const runs = page.getByRole("region", { name: "Your runs" });
  const row = runs.getByRole("row", { name: new RegExp(runName) });
  await expect(row).toBeVisible();
  // Live: the status moves on the home page itself, without a reload.
  await expect(row).toContainText(/Succeeded|Failed/, { timeout: 90_000 });
  await row.getByRole("link", { name: runName }).click();
  await expect(page).toHaveURL(runUrl);

  // The ended run links onward: its experiment and the comparison of its MLflow run.
  await expect(page.getByRole("link", { name: "Open experiment" })).toHaveAttribute(
    "href",
    /^\/experiments\/[^/]+$/,
  );
  await expect(page.getByRole("link", { name: "Compare with other runs" })).toHaveAttribute(
    "href",
    /^\/experiments\/compare\?runs=/,
  );
  await expect(page.getByRole("region", { name: "Registered from this run" })).toBeVisible();
});

test("an officer's home lists requests waiting for them; the requester's lists it as awaiting others", async ({
  as,
}) => {
  const version = await stagingVersion();
  const alias = `home${Date.now().toString(36)}`;
  const dana = await as("dana");
  await dana.goto("/");
  const created = await post(dana, "/api/promotions", {
    modelName: model,
    version,
    target: { kind: "alias", name: alias },
    justification: "Home page check: waiting for an officer",
    checklist: [],
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  const title = `${model} v${version} → @${alias}`;

  try {
    const riley = await as("riley");
    await riley.goto("/");
    expect(await mainHeadings(riley).first().textContent()).toBe("Waiting for your decision");
    await riley
      .getByRole("region", { name: "Waiting for your decision" })
      .getByRole("link", { name: title })
      .click();
    await expect(riley).toHaveURL(`/approvals/${id}`);

    await dana.reload();
    await expect(dana.getByRole("region", { name: "Waiting for your decision" })).toHaveCount(0);
    await expect(dana.getByRole("link", { name: title })).toHaveAttribute("href", `/approvals/${id}`);
  } finally {
    await post(dana, `/api/promotions/${id}/withdraw`, {});
  }
});

test("on-call's home leads with alerts; sections follow permissions, not role names", async ({ as }) => {
  const omar = await as("omar");
  await omar.goto("/");
  expect(await mainHeadings(omar).first().textContent()).toBe("Firing alerts");
  await expect(omar.getByRole("region", { name: "Firing alerts" })).toContainText(/You are on call/);
  await expect(omar.getByRole("region", { name: "Your runs" })).toHaveCount(0);
  await expect(omar.getByRole("region", { name: "Waiting for your decision" })).toHaveCount(0);

  // A silence can be ended before its window is over.
  const silenced = await post(omar, "/api/alerts/silences", {
    namespace: "models",
    serviceName: "sim-swap-fraud",
    durationMinutes: 60,
    reason: "home spec: ending early",
  });
  expect(silenced.status(), await silenced.text()).toBe(201);
  await omar.goto("/monitoring/models/sim-swap-fraud");
  await expect(omar.getByText(/Silenced until .* home spec: ending early/)).toBeVisible();
  await omar.getByRole("button", { name: "End the silence on sim-swap-fraud now" }).click();
  await expect(omar.getByText(/Silenced until/)).toHaveCount(0);

  const ada = await as("ada");
  await ada.goto("/");
  await expect(ada.getByRole("heading", { level: 2, name: "Recent failures" })).toBeVisible();
  await expect(ada.getByRole("heading", { level: 2, name: "Firing alerts" })).toBeVisible();
  await expect(ada.getByRole("region", { name: "Your runs" })).toHaveCount(0);
  await expect(ada.getByRole("region", { name: "Waiting for your decision" })).toHaveCount(0);
});
