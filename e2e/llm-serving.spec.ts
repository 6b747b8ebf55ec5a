import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

/**
 * Gen-AI serving (issue 16): on-call opens the LLM service and sees its time to first token and
 * tokens per second; the engine's queue backs up (the sandbox keeps requests waiting) and the
 * queue-size alert fires and shows on the Alerts page, then the page shows the queue.
 */

const sandbox = { url: e2eEnv.SANDBOX_URL, headers: { authorization: "Bearer sandbox-dev-token" } };
const namespace = "models";
const serviceName = "support-assistant-llm";

test("on-call sees an LLM's time to first token and tokens/s, and an alert when its queue backs up", async ({
  as,
  request,
}) => {
  test.setTimeout(6 * 60_000);
  const page = await as("omar");
  const isvc = await request.get(
    `${sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/${namespace}/inferenceservices/${serviceName}`,
    { headers: sandbox.headers },
  );
  expect(isvc.ok()).toBe(true);
  const revision: string = (await isvc.json()).status.components.predictor.latestReadyRevision;
  const stat = (label: string) =>
    page
      .getByRole("region", { name: "LLM serving" })
      .locator("dt", { hasText: label })
      .locator("xpath=following-sibling::dd[1]");

  try {
    await test.step("the LLM service shows time to first token and tokens per second", async () => {
      await page.goto(`/monitoring/${namespace}/${serviceName}`);
      const llm = page.getByRole("region", { name: "LLM serving" });
      await expect(llm).toBeVisible();
      await expect(stat("Time to first token p95")).toHaveText(/^[\d.,]+ ?(ms|s)$/, { timeout: 60_000 });
      await expect(stat("Tokens per second")).toHaveText(/^[\d.,]+ tokens\/s$/);
      await expect(llm.getByRole("figure", { name: "Time to first token (p50, p95)" })).toBeVisible();
      await expect(llm.getByRole("figure", { name: "Generated tokens per second" })).toBeVisible();
      await expect(llm.getByRole("figure", { name: "GPU utilisation" })).toBeVisible();
      await expect(stat("Queue size")).toHaveText("0");
      await page.screenshot({ path: "test-results/llm-serving-calm.png", fullPage: true });
    });

    await test.step("a queue-size rule that fires after a minute, and the queue backs up", async () => {
      const rule = await page.request.put("/api/alerts/rules", {
        data: {
          namespace,
          serviceName,
          kind: "LLM_QUEUE_SIZE",
          threshold: 10,
          forMinutes: 1,
          isEnabled: true,
        },
      });
      expect(rule.ok(), await rule.text()).toBe(true);
      const backlog = await request.put(`${sandbox.url}/__sandbox/traffic/revisions/${revision}`, {
        headers: sandbox.headers,
        data: { queueBacklog: 60 },
      });
      expect(backlog.ok()).toBe(true);
    });

    await test.step("the alert fires and shows on the Alerts page", async () => {
      await page.goto("/monitoring/alerts?state=FIRING");
      const alertRow = page.getByRole("row", { name: /LLM queue \d+ requests waiting > 10/ });
      await expect(async () => {
        await page.reload();
        await expect(alertRow.first()).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 180_000, intervals: [5_000] });
      await expect(alertRow.first()).toContainText("Firing");
      await expect(alertRow.first().getByRole("link", { name: serviceName, exact: true })).toBeVisible();
    });

    await test.step("the service page shows the queue and the slower first token", async () => {
      await page.goto(`/monitoring/${namespace}/${serviceName}`);
      await expect
        .poll(async () => Number(await stat("Queue size").innerText()), { timeout: 60_000 })
        .toBeGreaterThan(10);
      await expect
        .poll(async () => stat("Time to first token p95").innerText(), { timeout: 60_000 })
        .toMatch(/^[\d.,]+ ?s$/);
      await expect(page.getByRole("row", { name: /LLM queue/ }).first()).toContainText("Firing");
      await page.screenshot({ path: "test-results/llm-serving-backlog.png", fullPage: true });
    });
  } finally {
    await request.delete(`${sandbox.url}/__sandbox/traffic/revisions/${revision}`, {
      headers: sandbox.headers,
    });
  }
});

test("a TGI-served LLM shows TGI's own metrics and says time to first token is not exported", async ({
  as,
}) => {
  test.setTimeout(2 * 60_000);
  const page = await as("omar");
  await page.goto(`/monitoring/${namespace}/ticket-summariser-llm`);
  const llm = page.getByRole("region", { name: "LLM serving" });
  await expect(llm).toBeVisible();
  await expect(llm.getByText("TGI metrics")).toBeVisible({ timeout: 60_000 });
  const ttft = llm.getByRole("figure", { name: "Time to first token" });
  await expect(ttft).toContainText("Not exported by TGI");
  await expect(llm.getByRole("figure", { name: "Queue wait before prefill (p50, p95)" })).toBeVisible();
  const stat = (label: string) =>
    llm.locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");
  await expect(stat("Queue wait p95")).toHaveText(/^[\d.,]+ ?(ms|s)$/, { timeout: 60_000 });
  await expect(stat("Tokens per second")).toHaveText(/^[\d.,]+ tokens\/s$/);
  await expect(stat("Queue size")).toHaveText("0");
  await expect(llm.getByRole("figure", { name: "KV cache in use" })).toContainText("Not exported by TGI");
  await page.screenshot({ path: "test-results/llm-serving-tgi.png", fullPage: true });

  // The service's rules: the queue rule seeded, time to first token neither seeded nor offered.
  await page.goto(`/monitoring/alerts/rules?namespace=${namespace}&service=ticket-summariser-llm`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("row", { name: /LLM queue size/ })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [3_000] });
  await expect(page.getByRole("row", { name: /Time to first token/ })).toHaveCount(0);
  // Every kind TGI supports is in use, so nothing is left to add: time to first token is never offered.
  await expect(page.getByRole("button", { name: "Add rule" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/llm-serving-tgi-rules.png", fullPage: true });
});
