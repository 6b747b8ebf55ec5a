import { expect, test } from "./fixtures";

// The audit page's integrity card: a checkpoint of the chain head goes to the (emulated) write-once
// container, and verification checks the chain against it.
test("an admin checkpoints the audit chain and verifies it against the checkpoints", async ({ as }) => {
  const page = await as("ada");
  await page.goto("/audit");
  await page.getByRole("button", { name: "Checkpoint now" }).click();
  await expect(
    page.getByText(/Checkpoint written|Already checkpointed|No events to checkpoint yet/),
  ).toBeVisible();
  await page.getByRole("button", { name: "Verify chain" }).click();
  const intact = page.getByText("Chain intact");
  await expect(intact).toBeVisible();
  await expect(page.getByText(/checkpoints matched|No checkpoints yet/)).toBeVisible();

  const riley = await as("riley");
  const checkpoint = await riley.request.post("/api/audit/checkpoints", { data: {} });
  expect(checkpoint.status()).toBe(200);
  expect(await checkpoint.json()).toMatchObject({
    status: expect.stringMatching(/^(written|unchanged|empty)$/),
  });
  const omar = await as("omar");
  expect((await omar.request.post("/api/audit/checkpoints", { data: {} })).status()).toBe(403);
});
