import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

/**
 * The 3 a.m. path (issue 6): healthy services → latency injected on the canary revision of one
 * service → the alert fires → the on-call engineer acknowledges it with a note → rolls back →
 * the latency recovers on the page. The sandbox drives real traffic; the worker evaluates alerts
 * every 30 s and applies the rollback.
 */

const sandbox = { url: e2eEnv.SANDBOX_URL, headers: { authorization: "Bearer sandbox-dev-token" } };
const namespace = "models";
const serviceName = "network-anomaly";

/** "812 ms" or "1.52 s" in milliseconds. */
const parseLatency = (text: string) => {
  const match = /(?<![\d.])([\d.]+)\s*(ms|s)\b/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
};

test("on-call sees an injected latency alert fire, acknowledges it, rolls back and watches latency recover", async ({
  as,
  request,
}) => {
  test.setTimeout(8 * 60_000);
  const page = await as("omar");

  const isvc = await request.get(
    `${sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/${namespace}/inferenceservices/${serviceName}`,
    { headers: sandbox.headers },
  );
  expect(isvc.ok()).toBe(true);
  const predictor = (await isvc.json()).status.components.predictor;
  const canary: string = predictor.latestReadyRevision;

  try {
    await test.step("healthy overview", async () => {
      await page.goto("/monitoring");
      await expect(page.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
      const row = page.getByRole("row", { name: new RegExp(serviceName) });
      await expect(row).toContainText("Ready");
      await expect(row).toContainText(canary);
      await expect(row).not.toContainText("firing");
      await expect(row.getByText(/(?<!\d)\d+ ms/).first()).toBeVisible();
      await expect(page.getByText(/Updated/).first()).toBeVisible();
    });

    await test.step("a fast latency rule and latency injected on the canary revision", async () => {
      const rule = await page.request.put("/api/alerts/rules", {
        data: { namespace, serviceName, kind: "LATENCY_P95", threshold: 500, forMinutes: 0, isEnabled: true },
      });
      expect(rule.ok(), await rule.text()).toBe(true);
      const injected = await request.put(`${sandbox.url}/__sandbox/traffic/revisions/${canary}`, {
        headers: sandbox.headers,
        data: { extraLatencyMs: 1500 },
      });
      expect(injected.ok()).toBe(true);
    });

    await test.step("the alert fires and names the revision", async () => {
      await page.goto("/monitoring/alerts?state=FIRING");
      const alertRow = page.getByRole("row", { name: new RegExp(`p95 latency .* on ${canary}`) });
      await expect(alertRow).toBeVisible({ timeout: 150_000 });
      await expect(alertRow).toContainText("Firing");
      await expect(alertRow.getByRole("link", { name: serviceName, exact: true })).toBeVisible();
      await expect(alertRow.getByRole("link", { name: `${serviceName} v6` })).toHaveAttribute(
        "href",
        `/models/${serviceName}`,
      );
    });

    await test.step("on-call is told in the inbox, with a link to the service", async () => {
      await expect(async () => {
        await page.goto("/notifications");
        await expect(
          page.getByRole("link", { name: `Firing: ${serviceName} latency p95` }).first(),
        ).toHaveAttribute("href", `/monitoring/${namespace}/${serviceName}`, { timeout: 1_000 });
      }).toPass({ timeout: 60_000, intervals: [2_000] });
    });

    await test.step("acknowledge with a note", async () => {
      await page.goto(`/monitoring/${namespace}/${serviceName}`);
      const alertRow = page
        .getByRole("row", { name: new RegExp(`on ${canary}`) })
        .filter({ hasText: "Firing" });
      await alertRow.getByRole("button", { name: "Acknowledge" }).click();
      const dialog = page.getByRole("dialog", { name: "Acknowledge alert" });
      await dialog.getByLabel("Note").fill("Canary is slow; rolling back.");
      await dialog.getByRole("button", { name: "Acknowledge" }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText("Note from Omar Haddad: Canary is slow; rolling back.")).toBeVisible();
      await expect(page.getByRole("row", { name: new RegExp(`on ${canary}`) }).first()).toContainText(
        "Acknowledged",
      );
    });

    await test.step("latency is visibly high, per revision in the charts, then roll back", async () => {
      await expect(page.getByRole("figure", { name: "Latency (p50, p95, p99)" })).toContainText(
        `p95 ${canary}`,
      );
      const p95 = page.locator("dt", { hasText: "p95 latency" }).locator("xpath=following-sibling::dd[1]");
      await expect
        .poll(async () => parseLatency(await p95.innerText()) ?? 0, { timeout: 180_000, intervals: [5_000] })
        .toBeGreaterThan(500);
      await page.getByRole("button", { name: "Roll back" }).click();
      const dialog = page.getByRole("dialog", { name: `Roll back ${serviceName}?` });
      await expect(dialog).toContainText(canary);
      await dialog.getByLabel("Reason").fill("p95 above 500 ms on the canary");
      await dialog.getByRole("button", { name: "Roll back" }).click();
      await expect(dialog).toBeHidden();
      const rollout = page.getByRole("row", { name: /Rollback/ }).first();
      await expect(rollout).toBeVisible();
      await expect(rollout).toContainText("Succeeded", { timeout: 60_000 });
    });

    await test.step("latency recovers on the page", async () => {
      const p95 = page.locator("dt", { hasText: "p95 latency" }).locator("xpath=following-sibling::dd[1]");
      await expect
        .poll(async () => parseLatency(await p95.innerText()) ?? Infinity, {
          timeout: 180_000,
          intervals: [5_000],
        })
        .toBeLessThan(500);
      await expect(
        page.locator("dt", { hasText: "Canary" }).locator("xpath=following-sibling::dd[1]"),
      ).toHaveText("No canary in progress");
    });
  } finally {
    await request.delete(`${sandbox.url}/__sandbox/traffic/revisions/${canary}`, {
      headers: sandbox.headers,
    });
  }
});
