import { test } from "./fixtures";

// `UPDATE_SCREENSHOTS=1 npx playwright test screenshots` refreshes the pictures in the README.
test.skip(!process.env.UPDATE_SCREENSHOTS, "set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots");

test("README screenshots", async ({ as }) => {
  const page = await as("dana");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  await page.screenshot({ path: "docs/screenshots/home-data-scientist.png" });
  const officer = await as("riley");
  await officer.setViewportSize({ width: 1280, height: 800 });
  await officer.goto("/");
  await officer.screenshot({ path: "docs/screenshots/home-risk-officer.png" });
  const onCall = await as("omar");
  await onCall.setViewportSize({ width: 1280, height: 800 });
  await onCall.goto("/");
  await onCall.screenshot({ path: "docs/screenshots/home-on-call.png" });
});
