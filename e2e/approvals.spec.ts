import type { Page } from "@playwright/test";
import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

// The promotion flow with several signed-in people: a data scientist asks, a person holding both
// roles is refused their own approval, another officer approves, and the audit chain verifies.
// It needs the seeded Staging version, so it runs before models.spec.ts moves that version to Production.
const model = "churn-classifier";

async function stagingVersion(): Promise<string> {
  const response = await fetch(`${e2eEnv.SANDBOX_URL}/api/2.0/mlflow/registered-models/get-latest-versions`, {
    method: "POST",
    headers: { authorization: `Bearer ${e2eEnv.SANDBOX_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name: model, stages: ["Staging"] }),
  });
  const body = (await response.json()) as { model_versions?: Array<{ version: string }> };
  const version = body.model_versions?.[0]?.version;
  if (!version)
    throw new Error(
      `${model} has no version in Staging in the e2e sandbox; did another spec promote it first?`,
    );
  return version;
}

async function requestPromotion(
  page: Page,
  version: string,
  target: { stage: string } | { alias: string },
  justification: string,
): Promise<string> {
  await page.goto(`/approvals/new?model=${model}&version=${version}`);
  await expect(page.getByLabel("Registered model")).toHaveValue(model);
  if ("stage" in target) await page.getByLabel("Stage").selectOption(target.stage);
  else {
    await page.getByLabel("Promote to").selectOption("alias");
    await page.getByLabel("Alias").fill(target.alias);
  }
  await page.getByLabel("Justification").fill(justification);
  await page.getByRole("button", { name: "Request promotion" }).click();
  await expect(page).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  return page.url().split("/").at(-1)!;
}

test("request, four-eyes refusal, approval by another officer, chain verified", async ({ as }) => {
  test.setTimeout(120_000);
  const version = await stagingVersion();
  const alias = `challenger${Date.now().toString(36)}`;

  const dana = await as("dana");
  const requestId = await requestPromotion(
    dana,
    version,
    { alias },
    "Higher AUC than the incumbent on the Q3 holdout",
  );
  await expect(
    dana.getByRole("heading", { level: 1, name: `${model} v${version} → alias @${alias}` }),
  ).toBeVisible();
  await expect(dana.getByRole("heading", { name: "Candidate vs incumbent" })).toBeVisible();
  // No policy is set for this model and alias: the worker evaluates the built-in rules, which have no gates.
  await expect(dana.getByText("This model's policy defines no gates.")).toBeVisible();
  await expect(dana.getByText(/No policy is set for churn-classifier → @challenger/)).toBeVisible();
  await expect(dana.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // Alex holds both roles: the page offers no decision on their own request, and the API refuses it.
  const alex = await as("alex");
  const ownId = await requestPromotion(
    alex,
    version,
    { stage: "Production" },
    "Alex asks for Production; someone else must decide",
  );
  await expect(alex.getByText("Approvals 0/2")).toBeVisible();
  await expect(alex.getByText(/four-eyes rule/)).toBeVisible();
  await expect(alex.getByRole("button", { name: "Approve" })).toHaveCount(0);
  const refused = await alex.request.post(`/api/promotions/${ownId}/decisions`, {
    data: { decision: "APPROVE", comment: "my own" },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain("four-eyes");
  // Another officer's approval reaches Alex's open page on its own, within about two seconds.
  const rileyFirst = await as("riley");
  const approved = await rileyFirst.request.post(`/api/promotions/${ownId}/decisions`, {
    headers: { origin: e2eEnv.APP_URL },
    data: { decision: "APPROVE", comment: "First of two approvals" },
  });
  expect(approved.status(), await approved.text()).toBe(200);
  // Within a poll (1 s) and one render of the page; the rest of the timeout is margin for a loaded shared machine.
  await expect(alex.getByText("Approvals 1/2")).toBeVisible({ timeout: 4_000 });
  await expect(alex.getByText("First of two approvals")).toBeVisible();
  // Alex may decide someone else's request, though: the refusal is about whose request it is.
  await alex.goto(`/approvals/${requestId}`);
  await expect(alex.getByRole("button", { name: "Approve" })).toBeVisible();

  // Riley finds Dana's request in the queue and approves it with a comment.
  const riley = await as("riley");
  await riley.goto("/approvals");
  await riley
    .getByRole("link", { name: `${model} v${version}` })
    .first()
    .waitFor();
  await riley.goto(`/approvals/${requestId}`);
  await expect(riley.getByRole("heading", { name: "Production live health" })).toBeVisible();
  await riley.getByRole("button", { name: "Approve" }).click();
  await expect(riley.getByText("Write a comment that explains your decision.")).toBeVisible();
  await riley.getByLabel("Comment").first().fill("Gates pass and the evidence is sound.");
  await riley.getByRole("button", { name: "Approve" }).click();
  await expect(riley.getByText(/^(Approved|Applying|Applied)$/).first()).toBeVisible();
  await expect(riley.getByText("Gates pass and the evidence is sound.")).toBeVisible();

  // Alex, a step behind, is told who decided first instead of recording a second decision.
  const late = await alex.request.post(`/api/promotions/${requestId}/decisions`, {
    data: { decision: "REJECT", comment: "too late" },
  });
  expect(late.status()).toBe(409);
  expect((await late.json()).error.message).toMatch(
    /^Riley Chen approved this request \d+ (seconds?|minutes) ago/,
  );

  await dana.goto("/notifications");
  await expect(dana.getByRole("link", { name: `${model} v${version} approved` })).toBeVisible();

  await riley.goto(`/audit?entityId=${requestId}`);
  await expect(riley.getByRole("cell", { name: "promotion.approved" })).toBeVisible();
  await riley.getByRole("button", { name: "Verify chain" }).click();
  await expect(riley.getByText("Chain intact")).toBeVisible();
  const csv = await riley.request.get(`/api/audit/export?format=csv&entityId=${requestId}`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe(
    "seq,occurredAt,actorOid,actorName,action,entityType,entityId,before,after,prevHash,hash",
  );
  expect(lines.slice(1).map((l) => l.split(",")[4])).toEqual(
    expect.arrayContaining(["promotion.requested", "promotion.gates-evaluated", "promotion.approved"]),
  );
});

test("every mutating promotion route refuses the roles that may not use it", async ({ as }) => {
  const version = await stagingVersion();
  const body = {
    modelName: model,
    version,
    target: { kind: "alias", name: "authz" },
    justification: "Should never be created",
  };
  for (const login of ["riley", "omar", "ada"] as const) {
    const page = await as(login);
    expect((await page.request.post("/api/promotions", { data: body })).status(), `${login} requesting`).toBe(
      403,
    );
  }
  const dana = await as("dana");
  const created = await dana.request.post("/api/promotions", {
    data: {
      ...body,
      justification: "Authorization check request",
      target: { kind: "alias", name: `authz${Date.now().toString(36)}` },
    },
  });
  expect(created.status()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  for (const login of ["dana", "omar", "ada"] as const) {
    const page = await as(login);
    expect(
      (
        await page.request.post(`/api/promotions/${id}/decisions`, {
          data: { decision: "APPROVE", comment: "not mine" },
        })
      ).status(),
      `${login} deciding`,
    ).toBe(403);
  }
  for (const login of ["riley", "omar", "ada"] as const) {
    const page = await as(login);
    expect((await page.request.post(`/api/promotions/${id}/withdraw`)).status(), `${login} withdrawing`).toBe(
      403,
    );
    expect(
      (await page.request.post(`/api/promotions/${id}/refresh`, { data: {} })).status(),
      `${login} refreshing`,
    ).toBe(403);
  }
  for (const login of ["omar", "ada"] as const) {
    const page = await as(login);
    expect(
      (await page.request.post(`/api/promotions/${id}/comments`, { data: { body: "hi" } })).status(),
      `${login} commenting`,
    ).toBe(403);
  }
  const omar = await as("omar");
  expect((await omar.request.get("/api/audit/verify")).status()).toBe(403);
  expect((await omar.request.get("/api/audit/export?format=json")).status()).toBe(403);
  expect((await dana.request.post(`/api/promotions/${id}/withdraw`)).status()).toBe(200);
});
