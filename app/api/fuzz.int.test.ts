import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import { launchPresets } from "@/lib/domain/training/launch";
import {
  httpMethods,
  loadApiRoutes,
  startApiHarness,
  type ApiAnswer,
  type ApiCall,
  type ApiHarness,
  type ApiRouteFile,
  type Person,
} from "@/lib/testing/api-harness";
import { arbitraryFor, asText, hostileStrings, type Plausible } from "@/lib/testing/zod-arbitrary";
import { demoPeople } from "@/sandbox/oidc/people";

vi.mock("next/headers", async () => ({
  cookies: (await import("@/lib/testing/api-harness")).requestCookies,
}));

/**
 * Property: no request anyone can send gets a 5xx; every 4xx is a JSON error (a 400 from a schema
 * names the field); a refused request changes no row in any table. Requests are generated from
 * every app/api route file, its exported methods and its zod schemas, for every role and for
 * anonymous callers (docs/decisions: fuzzing the API in process). FUZZ_SEED and FUZZ_RUNS reproduce
 * or extend a run; the seed is printed.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20261206);
const numRuns = Number(process.env.FUZZ_RUNS ?? 10_000);

/** next-auth's own handler reads next/headers through CommonJS, which an in-process call cannot provide; e2e covers it. */
const outOfProcess = new Set(["/api/auth/[...nextauth]"]);

/**
 * The ingest path counts every outcome, refusals included (that is its job: an operator sees a
 * logger presenting the wrong secret), and flushes the counts each second in the background.
 */
const operationalCounters = new Set(["ingest_counters"]);

let harness: ApiHarness;
let routes: ApiRouteFile[];
const seen = new Map<string, Map<number, number>>();
const timings = new Map<string, number>();

interface Spec {
  query?: z.ZodType;
  body?: z.ZodType;
  params?: z.ZodType;
}

const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
  "application/json, text/plain",
];
const origins = [
  "http://switchboard.test",
  "null",
  "http://evil.example",
  "not a url",
  "http://[::1",
  "https://switchboard.test.evil.example",
];
const rawBodies = [
  "",
  "{",
  "null",
  "[]",
  '"text"',
  "1e999",
  "{}",
  '{"__proto__":{"admin":true}}',
  `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
  "\u0000",
];

function plausibleValues(ids: string[]): Plausible {
  return {
    strings: [
      ...ids,
      "models",
      "churn-classifier",
      "network-anomaly",
      "sim-swap-fraud",
      "ml.training.churn_training_set",
      "main.features.customer_features",
      "/Shared/churn-model",
      "meta-llama/Meta-Llama-3-8B",
      "--seed 7",
      "fuzzed run",
      "a reason long enough to pass",
      "ERROR_RATE",
      "1",
      "2",
      "2026-01-01",
      "churn",
      "loss,accuracy",
    ],
    numbers: [0, 1, 2, 5, 10, 30, 64, 100, 0.05, 0.5, 500],
  };
}

function requestArbitrary(
  people: Person[],
  plausible: Plausible,
  ingestSecret: string,
): fc.Arbitrary<ApiCall> {
  const fuzzed = routes.filter((route) => !outOfProcess.has(route.pattern));
  return fc.constantFrom(...fuzzed).chain((route) => {
    const implemented = route.implemented.length ? route.implemented : [...httpMethods];
    const method = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...implemented) },
      { weight: 1, arbitrary: fc.constantFrom(...httpMethods) },
    );
    return method.chain((chosen) => {
      const spec = (route.handlers[chosen as keyof typeof route.handlers]?.spec ?? {}) as Spec;
      const segmentText = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...plausible.strings) },
        { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) },
        { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
      );
      const params = spec.params
        ? arbitraryFor(spec.params, plausible).map((value) =>
            Object.fromEntries(
              route.segments.map((name) => [
                name,
                asText((value as Record<string, unknown> | null)?.[name]) ?? "",
              ]),
            ),
          )
        : fc
            .tuple(
              ...route.segments.map((name) =>
                name.startsWith("...") ? fc.array(segmentText, { minLength: 1, maxLength: 3 }) : segmentText,
              ),
            )
            .map((values) =>
              Object.fromEntries(route.segments.map((name, i) => [name.replace(/^\.\.\./, ""), values[i]])),
            );
      const queryObject = spec.query
        ? arbitraryFor(spec.query, plausible)
        : fc.dictionary(
            fc.constantFrom("q", "limit", "before", "after", "pageToken", "filter", "x"),
            fc.constantFrom(...hostileStrings),
            { maxKeys: 2 },
          );
      const query = fc.oneof(
        { weight: 6, arbitrary: queryObject.map((value) => toQueryString(value)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "%",
            "a=%E0%A4%A",
            "q=%00",
            "limit=1&limit=2",
            `q=${"z".repeat(30_000)}`,
            "=&&=",
          ),
        },
      );
      const body = spec.body
        ? fc.oneof(
            {
              weight: 8,
              arbitrary: arbitraryFor(spec.body, plausible).map((value) => JSON.stringify(value) ?? ""),
            },
            { weight: 1, arbitrary: fc.constantFrom(...rawBodies) },
          )
        : fc.oneof(fc.constant(undefined), fc.constantFrom(...rawBodies));
      const headers = fc.record(
        {
          "content-type": fc.oneof(
            { weight: 6, arbitrary: fc.constant("application/json") },
            { weight: 2, arbitrary: fc.constantFrom(...contentTypes) },
          ),
          origin: fc.oneof(
            { weight: 5, arbitrary: fc.constant("http://switchboard.test") },
            { weight: 2, arbitrary: fc.constantFrom(...origins) },
          ),
          "x-forwarded-host": fc.constantFrom("evil.example", "switchboard.test"),
          "x-request-id": fc.string({ unit: fc.constantFrom(..."abc-123 ;=\"'"), maxLength: 60 }),
          authorization: fc.constantFrom(
            `Bearer ${ingestSecret}`,
            "Bearer sandbox-dev-token",
            "Bearer ",
            "Basic Og==",
          ),
        },
        { requiredKeys: ["content-type"] },
      );
      const person = fc.oneof(
        { weight: 7, arbitrary: fc.constantFrom(...people) },
        { weight: 1, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.constant({
            login: "forged",
            roles: [],
            cookie: "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged",
          } satisfies Person),
        },
      );
      return fc
        .record({
          method: fc.constant(chosen),
          route: fc.constant(route),
          params,
          query,
          body,
          headers,
          person,
        })
        .map((call) => {
          // Without a content type there is no body, as with a real client.
          if (!call.headers["content-type"]) delete (call.headers as Record<string, string>)["content-type"];
          return Object.assign(call as ApiCall, { [fc.toStringMethod]: () => describeCall(call as ApiCall) });
        });
    });
  });
}

function toQueryString(value: unknown): string {
  const search = new URLSearchParams();
  const entries: Array<[string, unknown]> =
    value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [["v", value]];
  for (const [key, item] of entries) {
    const text = asText(item);
    if (text !== undefined) search.append(key, text); // URLSearchParams sends a lone surrogate as U+FFFD, as a browser would
  }
  return search.toString();
}

function describeCall(call: ApiCall): string {
  return JSON.stringify({
    method: call.method,
    route: call.route.pattern,
    params: call.params,
    query: call.query?.slice(0, 300),
    body: call.body?.slice(0, 300),
    headers: call.headers,
    person: call.person?.login ?? null,
  });
}

function checkAnswer(call: ApiCall, answer: ApiAnswer, changed: string[]) {
  const where = `${answer.status} for ${describeCall(call)}: ${answer.text.slice(0, 500)}`;
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.headers.get("cache-control"), where).toMatch(/no-store/);
  if (answer.status >= 400) {
    expect(changed, `a refused request changed the database: ${where}`).toEqual([]);
    if (call.method === "HEAD") return;
    expect(answer.headers.get("content-type"), where).toMatch(/^application\/json/);
    const error = (
      answer.json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
    )?.error;
    expect(error, where).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/\S/) });
    // A schema's 400 names the field in its message, as the details say.
    const details = Array.isArray(error?.details) ? (error.details as Array<{ path?: unknown[] }>) : [];
    const first = details.find((detail) => Array.isArray(detail.path) && detail.path.length);
    if (answer.status === 400 && first) expect(error?.message, where).toContain(first.path!.join("."));
  }
}

beforeAll(async () => {
  harness = await startApiHarness(demoPeople);
  routes = await loadApiRoutes();
}, 120_000);

afterAll(async () => {
  const slowest = [...timings].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(
    `API fuzz: slowest routes (total ms): ${slowest.map(([key, ms]) => `${key} ${Math.round(ms)}`).join(", ")}`,
  );
  await harness?.close();
});

describe("API fuzz", () => {
  it(`answers ${numRuns} generated hostile requests across every route, method and role without a 5xx or a write on refusal`, async () => {
    // Real objects to aim at: a run, an alert rule, a silence.
    const json = { "content-type": "application/json" };
    const byPattern = (pattern: string) => routes.find((route) => route.pattern === pattern)!;
    const launched = await harness.call({
      method: "POST",
      route: byPattern("/api/runs"),
      params: {},
      headers: json,
      person: harness.people.dana,
      body: JSON.stringify({ ...launchPresets[0].values, runName: "fuzz target" }),
    });
    const rule = await harness.call({
      method: "PUT",
      route: byPattern("/api/alerts/rules"),
      params: {},
      headers: json,
      person: harness.people.omar,
      body: JSON.stringify({
        namespace: "models",
        serviceName: "churn-classifier",
        kind: "ERROR_RATE",
        threshold: 0.05,
        forMinutes: 5,
      }),
    });
    expect([launched.status, rule.status], launched.text + rule.text).toEqual([200, 200]);
    const ids = [
      (launched.json as { id: string }).id,
      (rule.json as { rule: { id: string } }).rule.id,
      "00000000-0000-4000-a000-000000000001",
    ];

    const people = Object.values(harness.people);
    console.log(
      `API fuzz: seed ${seed}, ${numRuns} requests over ${routes.length} route files (reproduce with FUZZ_SEED=${seed})`,
    );
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        requestArbitrary(
          people,
          plausibleValues(ids),
          (await import("@/lib/config")).getConfig().INGEST_SHARED_SECRET,
        ),
        async (call) => {
          const before = await harness.changes();
          const sent = performance.now();
          let answer = await harness.call(call);
          // A sandbox slowed by a busy machine can time out (503); input that causes a 503 does so twice.
          if (answer.status === 503)
            answer = await new Promise((resolve) => setTimeout(resolve, 500)).then(() => harness.call(call));
          const key = `${call.method} ${call.route.pattern}`;
          timings.set(key, (timings.get(key) ?? 0) + performance.now() - sent);
          const after = await harness.changes();
          const changed = Object.keys(after).filter(
            (table) => after[table] !== before[table] && !operationalCounters.has(table),
          );
          const statuses = seen.get(key) ?? new Map<number, number>();
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          seen.set(key, statuses);
          checkAnswer(call, answer, changed);
        },
      ),
      { seed, numRuns, endOnFailure: true, verbose: 1 },
    );
    console.log(`API fuzz: ${numRuns} requests in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // The property is only worth something if the requests reached the handlers: every method a
    // route implements got past sign-in and permissions at least once. A one-role route gets about
    // 14 such requests in 10,000, so shorter runs (FUZZ_RUNS) skip this check.
    const unreached = routes
      .filter((route) => !outOfProcess.has(route.pattern))
      .flatMap((route) => route.implemented.map((method) => `${method} ${route.pattern}`))
      .filter(
        (key) => ![...(seen.get(key)?.keys() ?? [])].some((status) => status !== 401 && status !== 403),
      );
    if (numRuns >= 10_000) expect(unreached).toEqual([]);
    const successes = [...seen.values()]
      .flatMap((statuses) => [...statuses])
      .filter(([status]) => status < 300)
      .reduce((sum, [, count]) => sum + count, 0);
    expect(successes).toBeGreaterThan(numRuns / 20);
  }, 1_800_000);
});
