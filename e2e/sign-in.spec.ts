import { expect, test } from "@playwright/test";
import { signInThroughIdentityProvider } from "./sign-in";

// The whole OpenID Connect round trip in the browser: redirect, people picker, callback, sign-out.
test("a person signs in through the identity provider, lands where they were going, and signs out", async ({
  page,
}) => {
  await signInThroughIdentityProvider(page, "Omar Haddad", "/monitoring");
  await expect(page).toHaveURL(/\/monitoring$/);
  await expect(page.getByRole("heading", { level: 1, name: "Monitoring" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Omar Haddad.*account menu/ })).toBeVisible();
  const sessionCookie = (await page.context().cookies()).find((cookie) =>
    cookie.name.endsWith("next-auth.session-token"),
  )!;
  const withOldCookie = { headers: { cookie: `${sessionCookie.name}=${sessionCookie.value}` } };
  expect((await page.request.fetch("/api/alerts", withOldCookie)).status()).toBe(200);

  await page.getByRole("button", { name: /Omar Haddad/ }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  // Signing out ended the session on the server: a copy of the old cookie is refused too.
  expect((await page.request.fetch("/api/alerts", withOldCookie)).status()).toBe(401);
});

test("a forged sign-in callback is refused with a message", async ({ page }) => {
  await page.goto("/api/auth/callback/azure-ad?code=forged&state=forged");
  await expect(page).toHaveURL(/\/signin\?.*error=OAuthCallback/);
  await expect(page.getByRole("alert").filter({ hasText: "did not complete the sign-in" })).toBeVisible();
});
