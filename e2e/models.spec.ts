import { Redis } from "ioredis";
import pg from "pg";
import { createJobProducer } from "../lib/queue/producer";
import { demoPeople } from "../sandbox/oidc/people";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// Browsing the registries and a version's lineage, then a Production promotion's KServe rollout:
// canary → promote to 100%, each step visible while it happens.

test("browse models from both registries and follow a version's lineage", async ({ as }) => {
  const page = await as("dana");
  await page.goto("/models");
  await expect(page.getByRole("heading", { level: 1, name: "Models" })).toBeVisible();
  const table = page.getByRole("table", { name: "Registered models" });
  await expect(table.getByRole("row", { name: /churn-classifier.*Workspace registry/ })).toBeVisible();
  await expect(
    table.getByRole("row", { name: /main\.ml\.churn_classifier.*Unity Catalog.*@champion/ }),
  ).toBeVisible();

  await page.getByRole("searchbox", { name: "Search registered models" }).fill("cell site");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=cell\+site/);
  const results = page.getByRole("table", { name: "Registered models matching “cell site”" });
  await expect(results.getByRole("row")).toHaveCount(2);
  await expect(results.getByRole("row", { name: /network-anomaly-detector/ })).toBeVisible();

  await page.goto("/models");
  await page.getByRole("link", { name: "churn-classifier", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "churn-classifier" })).toBeVisible();
  const versions = page.getByRole("table", { name: "Versions of churn-classifier, newest first" });
  await expect(versions.getByRole("row", { name: /v3.*Production.*@champion/ })).toBeVisible();

  // The lineage shows the Production version by default; the seeded service serves v2.
  const lineage = page.getByRole("list", { name: "Lineage of churn-classifier version 3" });
  await expect(lineage.getByRole("link", { name: "main.retention.churn_training_2026q3" })).toHaveAttribute(
    "href",
    "/datasets/main/retention/churn_training_2026q3",
  );
  await expect(lineage.getByText("Not served")).toBeVisible();
  await page.getByRole("link", { name: "v2", exact: true }).click();
  const v2 = page.getByRole("list", { name: "Lineage of churn-classifier version 2" });
  await expect(v2.getByText("models/churn-classifier")).toBeVisible();
  await expect(v2.getByRole("link", { name: "churn-classifier dashboard" })).toHaveAttribute(
    "href",
    "/monitoring/models/churn-classifier",
  );
  await expect(page.getByRole("link", { name: "Request promotion of v2" })).toHaveAttribute(
    "href",
    "/approvals/new?model=churn-classifier&version=2",
  );
});

test("the models and deployments APIs answer by role", async ({ as }) => {
  const dana = await as("dana");
  const models = await dana.request.get("/api/models?q=churn");
  expect(models.status()).toBe(200);
  expect((await models.json()).items.map((m: { name: string }) => m.name)).toEqual([
    "churn-classifier",
    "main.ml.churn_classifier",
  ]);
  const model = await dana.request.get(`/api/models/${encodeURIComponent("main.ml.churn_classifier")}`);
  expect((await model.json()).registry).toBe("UNITY_CATALOG");
  expect((await dana.request.get("/api/models/no-such-model")).status()).toBe(404);

  const rollback = {
    action: "rollback",
    namespace: "models",
    serviceName: "capacity-forecast",
    reason: "testing the refusal",
  };
  expect((await dana.request.post("/api/deployments", { data: rollback })).status()).toBe(403);
  const omar = await as("omar");
  const missing = await omar.request.post("/api/deployments", {
    data: { ...rollback, serviceName: "no-such-service" },
  });
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.message).toBe(
    "There is no InferenceService no-such-service in namespace models.",
  );
  expect((await omar.request.post("/api/deployments", { data: { ...rollback, reason: "" } })).status()).toBe(
    400,
  );
});

test("a Production promotion rolls out as a canary, then to 100% when the risk officer promotes it", async ({
  as,
}) => {
  const dana = demoPeople.find((p) => p.login === "dana")!;
  const db = new pg.Client({ connectionString: e2eEnv.DATABASE_URL });
  await db.connect();
  const redis = new Redis(e2eEnv.REDIS_URL, { maxRetriesPerRequest: 1 });
  const producer = createJobProducer(redis, e2eEnv.REDIS_PREFIX);
  try {
    // The decision itself is part A's flow (approvals); this spec starts from an approved request.
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO promotion_requests (id, registry, model_name, version, target_stage, justification, status, evidence, gate_results, gates_passed, required_approvals, requested_by_id, updated_at)
       SELECT gen_random_uuid(), 'WORKSPACE', 'churn-classifier', '4', 'Production', 'Higher AUC on the October holdout', 'APPROVED', '{}'::jsonb, '[]'::jsonb, true, 2, id, now()
       FROM users WHERE entra_object_id = $1 RETURNING id`,
      [dana.oid],
    );
    expect(rows).toHaveLength(1);
    await producer.enqueue(
      "mlflow.apply-promotion",
      { requestId: rows[0].id },
      { jobId: `apply-${rows[0].id}` },
    );

    const page = await as("riley");
    await expect(async () => {
      await page.goto("/models/churn-classifier");
      await expect(page.getByRole("region", { name: "KServe rollout" })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(
      page
        .getByRole("table", { name: /Versions of churn-classifier/ })
        .getByRole("row", { name: /v4.*Production/ }),
    ).toBeVisible();

    const canary = page.getByRole("article", { name: "Canary on churn-classifier" });
    await expect(canary.getByRole("listitem").filter({ hasText: "Requested by Dana Nguyen" })).toBeVisible();
    await expect(canary.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
    await expect(canary.getByText(/Settled: 10% of traffic on v4/)).toBeVisible();
    await expect(
      canary.getByText(/churn-classifier-predictor-00002 → churn-classifier-predictor-00003/),
    ).toBeVisible();
    await expect(
      canary.getByRole("progressbar", { name: /Traffic on churn-classifier-predictor-00003/ }),
    ).toHaveAttribute("aria-valuenow", "10");
    // Roll back is on-call's call, not the risk officer's.
    await expect(canary.getByRole("button", { name: "Roll back" })).toHaveCount(0);

    await canary.getByRole("button", { name: "Promote to 100%" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Promote" }).click();
    const promote = page.getByRole("article", { name: "Promote to 100% on churn-classifier" });
    await expect(promote.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
    await expect(promote.getByText(/Settled: all traffic on v4/)).toBeVisible();
    await expect(canary.getByRole("button", { name: "Promote to 100%" })).toHaveCount(0);

    await page.reload();
    await expect(
      page
        .getByRole("table", { name: "KServe services serving this model" })
        .getByRole("row", { name: /models\/churn-classifier.*v4.*churn-classifier-predictor-00003 100%/ }),
    ).toBeVisible();

    // Every step is in the audit trail, in order.
    const audit = await db.query<{ action: string; actor_name: string }>(
      `SELECT action, actor_name FROM audit_events WHERE entity_id = $1::text OR entity_id IN (SELECT id::text FROM deployments WHERE promotion_request_id = $1::uuid) ORDER BY seq`,
      [rows[0].id],
    );
    expect(audit.rows.map((e) => e.action)).toEqual([
      "promotion.apply-started",
      "promotion.transition-applied",
      "deployment.canary-requested",
      "deployment.canary-applied",
      "deployment.canary-succeeded",
      "deployment.promote-requested",
      "deployment.promote-applied",
      "deployment.promote-succeeded",
    ]);
    expect(audit.rows.find((e) => e.action === "deployment.promote-requested")?.actor_name).toBe(
      "Riley Chen",
    );
  } finally {
    await producer.close();
    redis.disconnect();
    await db.end();
  }
});
