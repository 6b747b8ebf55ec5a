import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { hostileStrings } from "../lib/testing/zod-arbitrary";
import { e2eEnv, type DemoLogin } from "./env";
import { expect, test } from "./fixtures";

/**
 * What only the production server can show: every page answers hostile query strings with a page
 * (an error state at worst, never a 500), every response family carries the security headers, and
 * the sign-in page never redirects off-site. The API's own fuzz runs in process (app/api/fuzz.int.test.ts).
 */

const seed = Number(process.env.FUZZ_SEED ?? 20261206);
const pageRuns = Number(process.env.FUZZ_PAGE_RUNS ?? 200);

/** A value for each dynamic segment that names something the sandbox has. */
const segmentValues: Record<string, string> = {
  id: "00000000-0000-4000-a000-000000000001",
  catalog: "ml",
  schema: "training",
  table: "churn_training_set",
  experimentId: "1",
  name: "churn-classifier",
  namespace: "models",
  service: "churn-classifier",
};

/** Every page of the app, from the file system rather than a list kept by hand. */
function pagePaths(): string[] {
  const root = path.join(process.cwd(), "app/(dashboard)");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "page.tsx")
    .map((file) =>
      `/${path.dirname(file)}`
        .replace(/\/\.$/, "/")
        .replace(/\[(\w+)\]/g, (_match, name: string) => segmentValues[name] ?? "x"),
    )
    .sort();
}

const queryKeys = [
  "q",
  "pageToken",
  "filter",
  "after",
  "before",
  "limit",
  "page",
  "range",
  "state",
  "scope",
  "version",
  "runs",
  "metrics",
  "x",
  "from",
  "to",
  "unread",
  "model",
  "actor",
  "action",
  "status",
  "orderBy",
  "namespace",
  "service",
];

test("every page answers hostile query strings without a 500", async ({ as }) => {
  test.setTimeout(600_000);
  const pages = pagePaths();
  const logins: DemoLogin[] = ["ada", "dana", "riley", "omar"];
  const sessions = await Promise.all(logins.map((login) => as(login)));
  console.log(
    `page fuzz: seed ${seed}, ${pageRuns} requests over ${pages.length} pages (reproduce with FUZZ_SEED=${seed})`,
  );
  const query = fc.dictionary(
    fc.constantFrom(...queryKeys),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    ),
    { minKeys: 1, maxKeys: 3 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...pages),
      fc.nat(logins.length - 1),
      query,
      async (pagePath, who, params) => {
        const url = `${pagePath}?${new URLSearchParams(params)}`;
        const response = await sessions[who].request.get(url, { maxRedirects: 0 });
        expect(response.status(), `${logins[who]} GET ${url.slice(0, 300)}`).toBeLessThan(500);
      },
    ),
    { seed, numRuns: pageRuns, endOnFailure: true },
  );
});

test("pages, API answers and downloads carry the security headers and the right caching", async ({
  as,
  request,
}) => {
  const ada = await as("ada");
  const responses = {
    page: await ada.request.get("/"),
    "sign-in page": await request.get("/signin"),
    "API JSON": await ada.request.get("/api/me"),
    "API error": await request.get("/api/me"),
    "API 404": await ada.request.get("/api/no/such/thing"),
    "API 405": await ada.request.delete("/api/me"),
    download: await ada.request.get("/api/audit/export?format=csv"),
  };
  for (const [family, response] of Object.entries(responses)) {
    const headers = response.headers();
    expect.soft(headers["x-content-type-options"], family).toBe("nosniff");
    expect.soft(headers["x-frame-options"], family).toBe("DENY");
    expect.soft(headers["referrer-policy"], family).toBe("strict-origin-when-cross-origin");
    expect.soft(headers["permissions-policy"], family).toContain("camera=()");
    expect.soft(headers["cross-origin-opener-policy"], family).toBe("same-origin");
    expect.soft(headers["content-security-policy"], family).toContain("frame-ancestors 'none'");
    expect.soft(headers["cache-control"], family).toContain("no-store");
  }
  expect(responses["API 404"].status()).toBe(404);
  expect(await responses["API 404"].json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  expect(responses["API 405"].status()).toBe(405);
  expect(await responses["API 405"].json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
  expect(responses.download.headers()["content-disposition"]).toMatch(/^attachment;/);
});

test("a signed-in person following a crafted sign-in link stays on the site", async ({ as }) => {
  const dana = await as("dana");
  for (const callbackUrl of [
    "%2F%5Cevil.example%2F",
    "%2F%09%2Fevil.example",
    "%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example",
  ]) {
    const response = await dana.request.get(`/signin?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
    expect(response.status(), callbackUrl).toBeGreaterThanOrEqual(300);
    const location = new URL(response.headers().location, e2eEnv.APP_URL);
    expect(location.host, `${callbackUrl} -> ${response.headers().location}`).toBe(
      new URL(e2eEnv.APP_URL).host,
    );
  }
});
