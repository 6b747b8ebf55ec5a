import { expect, type Page } from "@playwright/test";
import { e2eEnv } from "./env";

/** Signs in through the sandbox identity provider's page, as a person would (on the app at `appUrl`). */
export async function signInThroughIdentityProvider(
  page: Page,
  personName: string,
  startAt = "/",
  appUrl = e2eEnv.APP_URL,
) {
  const appHost = new URL(appUrl).host;
  await page.goto(startAt);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: /^Sign in with/ }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Switchboard" })).toBeVisible();
  await page.getByRole("button", { name: new RegExp(personName) }).click();
  await page.waitForURL(
    (url) =>
      url.host === appHost && !url.pathname.startsWith("/api/auth") && !url.pathname.startsWith("/signin"),
  );
}
