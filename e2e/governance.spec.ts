import { e2eEnv } from "./env";
import { expect, test } from "./fixtures";

/**
 * Issue 12's governance journey: an admin sets a policy; a worse candidate is blocked with the
 * failing gate named (Staging is empty, so it is compared with Production); risk officers can read
 * the policy but not change it; overriding the gate takes a second officer, and both steps are audited.
 */

const mlflowApi = `${e2eEnv.SANDBOX_URL}/api/2.0/mlflow`;
async function mlflow<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${mlflowApi}/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${e2eEnv.SANDBOX_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A registered model of its own, so no other spec's promotions change what this one compares. */
async function modelWithProductionAndCandidate(name: string) {
  const { experiment_id } = await mlflow<{ experiment_id: string }>("experiments/create", {
    name: `/Shared/${name}`,
  });
  await mlflow("registered-models/create", { name });
  const register = async (metrics: Record<string, number>) => {
    const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", {
      experiment_id,
      start_time: Date.now(),
    });
    await mlflow("runs/log-batch", {
      run_id: run.info.run_id,
      metrics: Object.entries(metrics).map(([key, value]) => ({
        key,
        value,
        timestamp: Date.now(),
        step: 0,
      })),
    });
    const { model_version } = await mlflow<{ model_version: { version: string } }>("model-versions/create", {
      name,
      source: `runs:/${run.info.run_id}/model`,
      run_id: run.info.run_id,
    });
    return model_version.version;
  };
  const incumbent = await register({ auc: 0.869, f1: 0.621, val_loss: 0.315 });
  await mlflow("model-versions/transition-stage", {
    name,
    version: incumbent,
    stage: "Production",
    archive_existing_versions: false,
  });
  const candidate = await register({ auc: 0.8, f1: 0.3, val_loss: 0.4 });
  return { incumbent, candidate };
}

test("an admin sets a policy, a worse candidate is blocked by name, and overriding it takes a second officer", async ({
  as,
}) => {
  test.setTimeout(180_000);
  const model = `gov-${Date.now().toString(36)}`;
  const { incumbent, candidate } = await modelWithProductionAndCandidate(model);

  await test.step("the admin sets a Staging policy with a higher- and a lower-is-better metric", async () => {
    const ada = await as("ada");
    await ada.goto("/admin");
    await expect(ada.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
    const form = ada.getByRole("form", { name: "Promotion policy" });
    await form.getByLabel("Registered model").fill(model);
    await form.getByLabel("Target").fill("Staging");
    await form.getByLabel("Metric", { exact: true }).first().fill("auc");
    await form.getByLabel("Max regression").first().fill("0.01");
    await form.getByRole("button", { name: "Add metric" }).click();
    await form.getByLabel("Metric", { exact: true }).nth(1).fill("val_loss");
    await form.getByLabel("Better when").nth(1).selectOption("lower");
    await form.getByLabel("Max regression").nth(1).fill("0.02");
    await form.getByLabel("Approvals").fill("1");
    await form.getByLabel("Why it changes").fill("No regression in AUC or validation loss before Staging");
    await form.getByRole("button", { name: "Save policy" }).click();
    await expect(ada.getByText(`Saved version 1 of the ${model} → Staging policy.`)).toBeVisible();
    const row = ada
      .getByRole("table", { name: "Promotion policy versions" })
      .getByRole("row", { name: new RegExp(`${model} → Staging`) });
    await expect(row).toContainText("In force");
    await expect(row).toContainText(
      "val_loss: lower is better · at most 0.02 worse than the incumbent · required",
    );
    await expect(row).toContainText("Ada Walsh: No regression in AUC");
  });

  await test.step("a risk officer reads the policies but cannot change them", async () => {
    const riley = await as("riley");
    await riley.goto("/admin");
    await expect(
      riley.getByText("Risk officers can read the policies and their history; only admins change them."),
    ).toBeVisible();
    await expect(
      riley
        .getByRole("table", { name: "Promotion policy versions" })
        .getByRole("row", { name: new RegExp(`${model} → Staging`) }),
    ).toBeVisible();
    await expect(riley.getByRole("button", { name: "Save policy" })).toHaveCount(0);
    const refused = await riley.request.post("/api/admin/policies", {
      data: { modelName: model, target: "Staging", metrics: [], approvals: 1, note: "riley tries" },
    });
    expect(refused.status()).toBe(403);
  });

  let requestId = "";
  await test.step("the worse candidate is blocked, the failing gates named and the numbers judged by direction", async () => {
    const dana = await as("dana");
    await dana.goto(`/approvals/new?model=${model}&version=${candidate}`);
    await dana.getByLabel("Stage").selectOption("Staging");
    await dana.getByLabel("Justification").fill("Faster to train; please compare with Production");
    await dana.getByRole("button", { name: "Request promotion" }).click();
    await expect(dana).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    requestId = dana.url().split("/").at(-1)!;
    await expect(dana.getByText("Gates fail")).toBeVisible({ timeout: 30_000 });
    const gates = dana.getByRole("list", { name: "Policy gates" });
    await expect(
      gates.getByRole("listitem").filter({ hasText: "Failed: auc at most 0.01 worse than the incumbent" }),
    ).toContainText(`Candidate 0.8 vs incumbent v${incumbent} (Production) 0.869: worse by 0.069`);
    await expect(
      gates
        .getByRole("listitem")
        .filter({ hasText: "Failed: val_loss at most 0.02 worse than the incumbent" }),
    ).toContainText("worse by 0.085, lower is better");
    const comparison = dana.getByRole("table", { name: /Candidate metrics against the incumbent/ });
    await expect(
      comparison.getByRole("columnheader", { name: `Incumbent v${incumbent} (Production)` }),
    ).toBeVisible();
    await expect(comparison.getByRole("row", { name: /^val_loss/ })).toContainText("+0.085");
    await expect(comparison.getByRole("row", { name: /^val_loss/ })).toContainText("worse");
    await expect(comparison.getByRole("row", { name: /^f1/ })).toContainText(
      "not in the policy; higher assumed better",
    );
    await expect(dana.getByText("Staging, version 1, effective from", { exact: false })).toBeVisible();
  });

  await test.step("an officer cannot approve it; overriding needs a reason and a second officer", async () => {
    const riley = await as("riley");
    await riley.goto(`/approvals/${requestId}`);
    await expect(
      riley.getByText(/Blocked by a failed gate: auc at most 0.01 worse than the incumbent; val_loss/),
    ).toBeVisible();
    await expect(riley.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(riley.getByRole("button", { name: "Reject" })).toBeVisible();
    await riley
      .getByLabel("Reason for the override")
      .fill("Latency win outweighs the AUC drop for the Staging soak; re-evaluate before Production.");
    await riley.getByRole("button", { name: "Propose override" }).click();
    await expect(riley.getByText("Override proposed by Riley Chen; awaiting a second officer")).toBeVisible();
    await expect(riley.getByRole("button", { name: "Confirm override" })).toHaveCount(0);
    const self = await riley.request.post(`/api/promotions/${requestId}/override`, {
      data: { step: "confirm" },
    });
    expect(self.status()).toBe(403);
    expect((await self.json()).error.message).toContain("a second officer must confirm it");

    const morgan = await as("morgan");
    await morgan.goto(`/approvals/${requestId}`);
    await morgan.getByRole("button", { name: "Confirm override" }).click();
    await expect(
      morgan.getByText("Overridden: proposed by Riley Chen, confirmed by Morgan Lee"),
    ).toBeVisible();
    await expect(morgan.getByText("Gates overridden")).toBeVisible();
    await morgan.getByLabel("Comment").first().fill("Approved under the recorded override.");
    await morgan.getByRole("button", { name: "Approve" }).click();
    await expect(morgan.getByText(/^(Approved|Applying|Applied)$/).first()).toBeVisible();

    await riley.goto(`/audit?entityId=${requestId}`);
    await expect(riley.getByRole("cell", { name: "promotion.override-proposed" })).toBeVisible();
    await expect(riley.getByRole("cell", { name: "promotion.override-confirmed" })).toBeVisible();
    await expect(riley.getByRole("cell", { name: "promotion.gates-evaluated" })).toBeVisible();
  });
});
