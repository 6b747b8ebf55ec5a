import { areas } from "../lib/navigation";
import { permissionRoles } from "../lib/auth/permissions";
import { demoPeople } from "../sandbox/oidc/people";
import type { DemoLogin } from "./env";
import { expect, test } from "./fixtures";

// What each role may and may not see and do, checked in the browser and against the API.
const people = ["dana", "riley", "alex", "omar", "ada"] as const satisfies DemoLogin[];

for (const login of people) {
  const person = demoPeople.find((p) => p.login === login)!;
  const allowed = areas.filter((area) =>
    (permissionRoles[area.permission] as readonly string[]).some((role) =>
      person.roles.includes(role as never),
    ),
  );
  const forbidden = areas.filter((area) => !allowed.includes(area));

  test(`${person.name} (${person.roles.join(", ")}) sees only their areas`, async ({ as }) => {
    const page = await as(login);
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const area of allowed)
      await expect(nav.getByRole("link", { name: area.label, exact: true })).toBeVisible();
    for (const area of forbidden)
      await expect(nav.getByRole("link", { name: area.label, exact: true })).toHaveCount(0);

    for (const area of allowed) {
      await page.goto(area.href);
      await expect(page.getByRole("heading", { level: 1, name: area.label })).toBeVisible();
    }
    if (forbidden.length) {
      await page.goto(forbidden[0].href);
      await expect(page).toHaveURL(/\/forbidden/);
      await expect(page.getByRole("heading", { name: "You can't open that page" })).toBeVisible();
      // The forbidden page keeps the navigation, so the person can go on to somewhere they may.
      await expect(nav.getByRole("link", { name: "Home", exact: true })).toBeVisible();
    }
  });

  test(`${person.name}: the API knows who they are and enforces their roles`, async ({ as }) => {
    const page = await as(login);
    const me = await page.request.get("/api/me");
    expect(me.status()).toBe(200);
    expect((await me.json()).user).toMatchObject({ name: person.name, oid: person.oid, roles: person.roles });

    const audit = await page.request.get("/api/audit/events");
    const mayReadAudit = person.roles.some((role) =>
      (permissionRoles["audit:read"] as readonly string[]).includes(role),
    );
    expect(audit.status()).toBe(mayReadAudit ? 200 : 403);
    const body = await audit.json();
    if (mayReadAudit) expect(body).toHaveProperty("events");
    else expect(body.error.code).toBe("FORBIDDEN");
  });
}

test("anonymous visitors are sent to sign in, and the API answers 401 JSON", async ({ page }) => {
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fruns/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  const me = await page.request.get("/api/me");
  expect(me.status()).toBe(401);
  expect(await me.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  const audit = await page.request.get("/api/audit/events");
  expect(audit.status()).toBe(401);
});

test("bad input to the API is a 400 naming the problem, not a 500", async ({ as }) => {
  const page = await as("riley");
  const response = await page.request.get("/api/audit/events?limit=100000");
  expect(response.status()).toBe(400);
  expect((await response.json()).error.message).toMatch(/^limit:/);
});

test("pages carry the security headers", async ({ as }) => {
  const page = await as("dana");
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
});
