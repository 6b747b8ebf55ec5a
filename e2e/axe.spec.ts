import AxeBuilder from "@axe-core/playwright";
import type { DemoLogin } from "./env";
import { expect, test } from "./fixtures";

// axe over every main page, as a person allowed to open it: no serious or critical violation (WCAG 2.1 AA rules).
const pages: [string, DemoLogin][] = [
  ["/", "dana"],
  ["/", "riley"],
  ["/", "omar"],
  ["/datasets", "dana"],
  ["/datasets?q=churn", "dana"],
  ["/datasets/main/features/customer_features", "dana"],
  ["/runs", "dana"],
  ["/runs/new", "dana"],
  ["/experiments", "dana"],
  ["/models", "dana"],
  ["/models/churn-classifier", "dana"],
  ["/approvals", "riley"],
  ["/monitoring", "omar"],
  ["/monitoring/models/network-anomaly", "omar"],
  ["/monitoring/drift", "omar"],
  ["/monitoring/alerts", "omar"],
  ["/monitoring/alerts/rules", "omar"],
  ["/audit", "ada"],
  ["/admin", "ada"],
  ["/notifications", "riley"],
  ["/forbidden?need=admin:manage", "dana"],
];

test("no serious or critical axe violation on any main page", async ({ as }) => {
  test.setTimeout(5 * 60_000);
  const opened = new Map<DemoLogin, Awaited<ReturnType<typeof as>>>();
  const found: string[] = [];
  for (const [path, login] of pages) {
    if (!opened.has(login)) opened.set(login, await as(login));
    const page = opened.get(login)!;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Let streamed sections (Suspense) arrive before judging the page; polling pages never go idle.
    await page.waitForLoadState("networkidle", { timeout: 2_500 }).catch(() => undefined);
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(
        `${path} (${login}): ${v.id} [${v.impact}] ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")}`,
      );
    }
  }
  expect(found, found.join("\n")).toEqual([]);
});
