import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** No serious or critical violation of the WCAG 2.1 AA rules on the page, once its streamed sections are in. */
export async function expectNoSeriousViolations(page: Page, path: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // Let streamed sections (Suspense) arrive before judging the page; polling pages never go idle.
  await page.waitForLoadState("networkidle", { timeout: 2_500 }).catch(() => undefined);
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const found = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} [${v.impact}] ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")}`,
    );
  expect(found, found.join("\n")).toEqual([]);
}
