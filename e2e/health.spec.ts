import { expect, test } from "@playwright/test";

test("liveness and readiness report the database, Redis and a live worker", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(await health.json()).toEqual({ status: "ok" });
  await expect.poll(async () => (await request.get("/api/ready")).status(), { timeout: 30_000 }).toBe(200);
  const ready = await (await request.get("/api/ready")).json();
  expect(ready).toMatchObject({
    status: "ready",
    checks: { database: { ok: true }, redis: { ok: true }, workers: { ok: true } },
  });
});
