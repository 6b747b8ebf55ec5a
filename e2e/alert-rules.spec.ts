import { expect, test } from "./fixtures";

/**
 * Alert rules through the page (issue 6): the on-call engineer adds a rule, is told in place why a
 * threshold is wrong, and fixes it; a risk officer reads the rules; a data scientist changes nothing.
 */

const namespace = "models";
const serviceName = "capacity-forecast";
const rulesPage = `/monitoring/alerts/rules?namespace=${namespace}&service=${serviceName}`;

test("on-call adds an alert rule through the form, a bad threshold is refused in place, and only on-call and admins may change rules", async ({
  as,
}) => {
  const omar = await as("omar");

  await test.step("start without an error-rate rule on the service", async () => {
    const listed = await omar.request.get(
      `/api/alerts/rules?namespace=${namespace}&serviceName=${serviceName}`,
    );
    expect(listed.ok()).toBe(true);
    for (const rule of (await listed.json()).rules as Array<{ id: string; kind: string }>) {
      if (rule.kind === "ERROR_RATE")
        expect((await omar.request.delete(`/api/alerts/rules/${rule.id}`)).ok()).toBe(true);
    }
  });

  await test.step("the alerts page leads to the rules", async () => {
    await omar.goto("/monitoring/alerts");
    await omar.getByRole("link", { name: "Alert rules" }).click();
    await expect(omar.getByRole("heading", { level: 1, name: "Alert rules" })).toBeVisible();
  });

  await test.step("a share above 1 is refused next to the field, then a valid rule is added", async () => {
    await omar.goto(rulesPage);
    await omar.getByRole("button", { name: `Add rule to ${serviceName}` }).click();
    const dialog = omar.getByRole("dialog", { name: "Add alert rule" });
    await dialog.getByLabel("Rule").selectOption({ label: "Error rate" });
    const threshold = dialog.getByRole("textbox", { name: /Threshold/ });
    await threshold.fill("5");
    await dialog.getByLabel("For (minutes)").fill("10");
    await dialog.getByRole("button", { name: "Add rule" }).click();

    const problem = "Error rate thresholds are a share between 0 and 1, e.g. 0.05 for 5 %";
    await expect(dialog.getByRole("alert")).toContainText("There is a problem");
    await expect(
      dialog.getByRole("alert").getByRole("link", { name: `Threshold: ${problem}` }),
    ).toBeVisible();
    await expect(threshold).toHaveAttribute("aria-invalid", "true");
    await expect(threshold).toHaveAccessibleDescription(new RegExp(problem));

    await threshold.fill("0.5");
    await dialog.getByRole("button", { name: "Add rule" }).click();
    await expect(dialog).toBeHidden();
    await expect(omar.getByRole("status").filter({ hasText: "Saved" })).toContainText(
      "Saved: error rate > 50.0 % for 10 min.",
    );
    const row = omar.getByRole("row", { name: /Error rate/ });
    await expect(row).toContainText("50.0 %");
    await expect(row).toContainText("10 min");
    await expect(row).toContainText("Enabled");
  });

  await test.step("the API applies the same schema", async () => {
    const refused = await omar.request.put("/api/alerts/rules", {
      data: { namespace, serviceName, kind: "ERROR_RATE", threshold: 5, forMinutes: 10 },
    });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error.message).toContain("share between 0 and 1");
  });

  await test.step("a risk officer reads the rules without controls", async () => {
    const riley = await as("riley");
    await riley.goto(rulesPage);
    await expect(riley.getByText("On-call engineers and admins add and change alert rules.")).toBeVisible();
    await expect(riley.getByRole("row", { name: /Error rate/ })).toContainText("50.0 %");
    await expect(riley.getByRole("button", { name: /Add rule|Edit|Delete/ })).toHaveCount(0);
  });

  await test.step("a data scientist can neither open the page nor change a rule", async () => {
    const dana = await as("dana");
    const refused = await dana.request.put("/api/alerts/rules", {
      data: { namespace, serviceName, kind: "ERROR_RATE", threshold: 0.01, forMinutes: 0 },
    });
    expect(refused.status()).toBe(403);
    await dana.goto(rulesPage);
    await expect(dana).toHaveURL(/\/forbidden/);
  });

  await test.step("on-call deletes the rule again", async () => {
    await omar.reload();
    // Every Delete on the page names its rule and service, so a screen reader can tell them apart.
    await omar.getByRole("button", { name: `Delete error rate rule on ${serviceName}` }).click();
    const dialog = omar.getByRole("dialog", { name: `Delete the error rate rule on ${serviceName}?` });
    await dialog.getByRole("button", { name: "Delete rule" }).click();
    await expect(dialog).toBeHidden();
    await expect(omar.getByRole("row", { name: /Error rate/ })).toHaveCount(0);
  });
});
