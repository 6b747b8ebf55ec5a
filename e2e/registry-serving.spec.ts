import type { Page } from "@playwright/test";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

/**
 * One truth between the registry and KServe (issue 12): a rollback nobody promoted leaves the
 * registry, the pages and KServe naming the same version; a registry changed by hand behind
 * serving's back raises "registry and serving disagree" on the Alerts page, and one click moves the
 * registry back to what serves. Each test makes its own annotated InferenceService in the sandbox
 * (so the seeded services other specs use are untouched) and changes the sandbox MLflow over its
 * HTTP API, as a person with the MLflow UI or client would.
 */

const sandbox = { url: e2eEnv.SANDBOX_URL, headers: { authorization: "Bearer sandbox-dev-token" } };
const model = "churn-classifier";
const isvcPath = (name = "") =>
  `${sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices${name ? `/${name}` : ""}`;
const annotations = {
  model: "serving.switchboard.io/registered-model",
  version: "serving.switchboard.io/model-version",
  previous: "serving.switchboard.io/previous-model-version",
};

/** The sandbox's JSON answers, read loosely: the specs only pick a few fields. */
interface Sandboxed {
  model_versions?: Array<{ version: string }>;
  status?: {
    conditions?: Array<{ type: string; status: string }>;
    components?: { predictor?: { traffic?: Array<{ percent?: number }> } };
  };
}

async function call(method: string, url: string, body?: unknown, contentType = "application/json") {
  const response = await fetch(url, {
    method,
    headers: { ...sandbox.headers, ...(body ? { "content-type": contentType } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Sandboxed>;
}

const productionVersion = async () => {
  const latest = await call(
    "GET",
    `${sandbox.url}/api/2.0/mlflow/registered-models/get-latest-versions?name=${model}&stages=Production`,
  );
  return latest.model_versions?.[0]?.version ?? null;
};

const otherVersion = async (than: string) => {
  const found = await call(
    "GET",
    `${sandbox.url}/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${model}'`)}`,
  );
  return (found.model_versions ?? []).map((v) => v.version).find((v) => v !== than)!;
};

const transitionToProduction = (version: string) =>
  call("POST", `${sandbox.url}/api/2.0/mlflow/model-versions/transition-stage`, {
    name: model,
    version,
    stage: "Production",
    archive_existing_versions: true,
  });

async function createService(name: string, version: string) {
  await fetch(isvcPath(name), { method: "DELETE", headers: sandbox.headers });
  await call("POST", isvcPath(), {
    apiVersion: "serving.kserve.io/v1beta1",
    kind: "InferenceService",
    metadata: { name, annotations: { [annotations.model]: model, [annotations.version]: version } },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: "sklearn" },
          storageUri: `https://switchboardmodels.blob.core.windows.net/e2e/${name}/${version}`,
        },
      },
    },
  });
  await expect
    .poll(
      async () =>
        (await call("GET", isvcPath(name))).status?.conditions?.find((c) => c.type === "Ready")?.status,
      {
        timeout: 60_000,
      },
    )
    .toBe("True");
}

const dd = (page: Page, label: string) =>
  page.locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");

test.describe.configure({ timeout: 5 * 60_000 });

test("a rollback no promotion started leaves registry, pages and KServe naming the same version", async ({
  as,
}) => {
  const name = "gov-rollback";
  const production = (await productionVersion())!;
  const previous = await otherVersion(production);
  await createService(name, previous);
  try {
    // A canary made by hand (kubectl), and the registry's Production moved to it by hand too.
    await call(
      "PATCH",
      isvcPath(name),
      {
        metadata: { annotations: { [annotations.version]: production, [annotations.previous]: previous } },
        spec: {
          predictor: {
            canaryTrafficPercent: 10,
            model: {
              storageUri: `https://switchboardmodels.blob.core.windows.net/e2e/${name}/${production}`,
            },
          },
        },
      },
      "application/merge-patch+json",
    );
    await expect
      .poll(
        async () => ((await call("GET", isvcPath(name))).status?.components?.predictor?.traffic ?? []).length,
        {
          timeout: 60_000,
        },
      )
      .toBe(2);

    const page = await as("omar");
    await page.goto(`/monitoring/models/${name}`);
    await expect(dd(page, "Model version")).toHaveText(`${model} v${production}`);
    await page.getByRole("button", { name: "Roll back" }).click();
    const dialog = page.getByRole("dialog", { name: `Roll back ${name}?` });
    await dialog.getByLabel("Reason").fill("hand-made canary misbehaves");
    await dialog.getByRole("button", { name: "Roll back" }).click();
    await expect(dialog).toBeHidden();
    const rollout = page.getByRole("row", { name: /Rollback/ }).first();
    await expect(rollout).toContainText("Succeeded", { timeout: 90_000 });

    // KServe: all traffic on the first revision. Registry: Production is the version serving again.
    const predictor = (await call("GET", isvcPath(name))).status?.components?.predictor;
    expect((predictor?.traffic ?? []).filter((t) => (t.percent ?? 0) > 0)).toHaveLength(1);
    await expect.poll(productionVersion, { timeout: 30_000 }).toBe(previous);
    // The pages: the service page, the overview and the Models page say the same.
    await page.reload();
    await expect(dd(page, "Model version")).toHaveText(`${model} v${previous}`);
    await expect(dd(page, "Canary")).toHaveText("No canary in progress");
    await page.screenshot({ path: "test-results/registry-serving-after-rollback.png", fullPage: true });
    // The overview is one snapshot shared by every viewer, refreshed in the background after 10 s
    // (lib/services/monitoring/fleet-snapshot.ts); one taken mid-rollback may be served once more.
    await expect
      .poll(
        async () => {
          await page.goto("/monitoring");
          return page.getByRole("row", { name: new RegExp(name) }).innerText();
        },
        { timeout: 45_000, intervals: [2_000] },
      )
      .toContain(`v${previous}`);
    await page.goto(`/models/${model}`);
    await expect(page.getByText(`Production v${previous}`).first()).toBeVisible();
  } finally {
    await fetch(isvcPath(name), { method: "DELETE", headers: sandbox.headers });
    if ((await productionVersion()) !== production) await transitionToProduction(production);
  }
});

test("a registry changed by hand raises 'registry and serving disagree', and one click reconciles it", async ({
  as,
}) => {
  const name = "gov-mismatch";
  const production = (await productionVersion())!;
  await createService(name, production);
  const other = await otherVersion(production);
  try {
    await transitionToProduction(other);
    const page = await as("omar");
    const row = page.getByRole("row", { name: new RegExp(`Registry and serving disagree.*${name}`) });
    await expect
      .poll(
        async () => {
          await page.goto("/monitoring/alerts");
          return row.count();
        },
        { timeout: 150_000, intervals: [10_000] },
      )
      .toBeGreaterThan(0);
    await expect(row.first()).toContainText(`the registry's Production is v${other}`);
    await expect(row.first()).toContainText("Firing");
    await page.screenshot({ path: "test-results/registry-serving-alert.png", fullPage: true });

    await row
      .first()
      .getByRole("button", { name: `Reconcile the registry with what ${name} serves` })
      .click();
    const dialog = page.getByRole("dialog", { name: "Move the registry to what serves" });
    await dialog.getByRole("button", { name: "Reconcile registry" }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(productionVersion, { timeout: 60_000 }).toBe(production);
    await page.goto("/monitoring/alerts?state=all");
    await expect
      .poll(
        async () => {
          await page.reload();
          return page
            .getByRole("row", { name: new RegExp(`Registry and serving disagree.*${name}`) })
            .first()
            .innerText();
        },
        { timeout: 60_000, intervals: [5_000] },
      )
      .toMatch(/Resolved/);
  } finally {
    await fetch(isvcPath(name), { method: "DELETE", headers: sandbox.headers });
    if ((await productionVersion()) !== production) await transitionToProduction(production);
  }
});

test("an admin changes an alert rule default, audited; a risk officer reads it without a form", async ({
  as,
}) => {
  const admin = await as("ada");
  await admin.goto("/admin/alerts");
  const form = admin.getByRole("form", { name: "Error rate default" });
  await form.getByLabel("Threshold (share)").fill("2");
  await form.getByRole("button", { name: "Save the error rate default" }).click();
  await expect(form.getByRole("status")).toContainText("Error rate thresholds are");
  await form.getByLabel("Threshold (share)").fill("0.04");
  await form.getByRole("button", { name: "Save the error rate default" }).click();
  await expect(form.getByRole("status")).toContainText("Error rate default saved");
  await expect(form).toContainText("error rate > 4.0 % for 5 min");
  await admin.screenshot({ path: "test-results/admin-alert-defaults.png", fullPage: true });

  const riley = await as("riley");
  await riley.goto("/admin/alerts");
  await expect(riley.getByRole("form", { name: "Error rate default" })).toHaveCount(0);
  const row = riley.getByRole("row", { name: /Error rate/ });
  await expect(row).toContainText("> 4.0 %");
  await expect(row).toContainText("Ada");
  await riley.goto("/audit");
  await expect(riley.getByRole("cell", { name: "alert-default.saved", exact: true }).first()).toBeVisible();
});
