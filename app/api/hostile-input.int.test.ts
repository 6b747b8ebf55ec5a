import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  loadApiRoutes,
  startApiHarness,
  type ApiAnswer,
  type ApiCall,
  type ApiHarness,
  type ApiRouteFile,
} from "@/lib/testing/api-harness";
import { launchPresets } from "@/lib/domain/training/launch";
import { demoPeople } from "@/sandbox/oidc/people";

vi.mock("next/headers", async () => ({
  cookies: (await import("@/lib/testing/api-harness")).requestCookies,
}));

/** Each fault issue 11 found by hand, through the real route handlers: all answered 500 (or worse) before. */

let harness: ApiHarness;
let routes: ApiRouteFile[];
const route = (pattern: string) => routes.find((r) => r.pattern === pattern)!;
const json = { "content-type": "application/json" };

async function send(
  pattern: string,
  call: Omit<ApiCall, "route" | "params"> & { params?: ApiCall["params"] },
): Promise<ApiAnswer> {
  return harness.call({ params: {}, ...call, route: route(pattern) });
}

function expectJsonError(answer: ApiAnswer, status: number, message?: RegExp) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(answer.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  if (message) expect((answer.json as { error: { message: string } }).error.message).toMatch(message);
}

beforeAll(async () => {
  harness = await startApiHarness(demoPeople);
  routes = await loadApiRoutes();
}, 120_000);

afterAll(async () => harness?.close());

describe("hostile input the issue found by hand", () => {
  it("refuses a NUL byte or a lone surrogate in any text field, naming it, and writes nothing", async () => {
    const before = await harness.changes();
    const dana = harness.people.dana;
    for (const bad of ["Rollback\u0000now", "half a pair \uD83D", "\uDE00 trailing half"]) {
      const answer = await send("/api/alerts/silences", {
        method: "POST",
        person: harness.people.omar,
        headers: json,
        body: JSON.stringify({
          namespace: "models",
          serviceName: "churn-classifier",
          durationMinutes: 30,
          reason: bad,
        }),
      });
      expectJsonError(answer, 400, /^reason: contains a NUL character or broken Unicode/);
      const launch = await send("/api/runs", {
        method: "POST",
        person: dana,
        headers: json,
        body: JSON.stringify({ runName: bad }),
      });
      expectJsonError(launch, 400, /^runName: /);
    }
    expect(await harness.changes()).toEqual(before);
  });

  it("answers 400 for an alert id that is not a UUID and a service path with capitals", async () => {
    expectJsonError(
      await send("/api/alerts/[id]/acknowledge", {
        method: "POST",
        person: harness.people.omar,
        params: { id: "not-a-uuid" },
        headers: json,
        body: JSON.stringify({ note: "looking at it" }),
      }),
      400,
      /^id: an alert id/,
    );
    expectJsonError(
      await send("/api/alerts/rules/[id]", {
        method: "DELETE",
        person: harness.people.omar,
        params: { id: "1; DROP" },
      }),
      400,
      /^id: /,
    );
    expectJsonError(
      await send("/api/monitoring/services/[namespace]/[service]", {
        method: "GET",
        person: harness.people.omar,
        params: { namespace: "models", service: "Churn-Classifier" },
      }),
      400,
      /^service: a Kubernetes name/,
    );
  });

  it("answers 400 in JSON for audit paging before -5 or 2^63 (a BigInt the error handler could not serialise)", async () => {
    for (const before of ["-5", "9223372036854775808"]) {
      expectJsonError(
        await send("/api/audit/events", {
          method: "GET",
          person: harness.people.ada,
          query: `before=${before}`,
        }),
        400,
        /^before: /,
      );
    }
  });

  it("refuses Origin: null and a malformed Origin as cross-origin (403), not a 500", async () => {
    for (const origin of ["null", "http://[not a host", "::::"]) {
      expectJsonError(
        await send("/api/notifications", {
          method: "POST",
          person: harness.people.dana,
          headers: { ...json, origin },
          body: JSON.stringify({ all: true }),
        }),
        403,
        /Cross-origin/,
      );
    }
  });

  it("answers 400 for an extreme date in the runs cursor", async () => {
    for (const date of [
      "+275760-09-13T00:00:00.000Z",
      "-271821-04-20T00:00:00.000Z",
      "0001-01-01T00:00:00Z",
    ]) {
      expectJsonError(
        await send("/api/runs", {
          method: "GET",
          person: harness.people.dana,
          query: `after=${encodeURIComponent(`${date}|00000000-0000-4000-a000-000000000001`)}`,
        }),
        400,
        /^after: /,
      );
    }
  });

  it("answers 400 for a NUL in a model name rather than blaming MLflow with a 503", async () => {
    for (const name of ["churn\u0000classifier", "churn%00classifier"]) {
      expectJsonError(
        await send("/api/models/[name]", { method: "GET", person: harness.people.dana, params: { name } }),
        400,
        /^name: /,
      );
    }
  });

  it("refuses form and text/plain bodies on mutations with 415 in JSON, writing nothing", async () => {
    const before = await harness.changes();
    const body = JSON.stringify({ all: true });
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
    ]) {
      expectJsonError(
        await send("/api/notifications", {
          method: "POST",
          person: harness.people.dana,
          headers: { "content-type": type },
          body,
        }),
        415,
        /JSON/,
      );
    }
    expectJsonError(
      await send("/api/notifications", { method: "POST", person: harness.people.dana, body }),
      415,
    );
    expect(
      (
        await send("/api/notifications", {
          method: "POST",
          person: harness.people.dana,
          headers: { "content-type": "application/json; charset=utf-8" },
          body,
        })
      ).status,
    ).toBe(200);
    expect(await harness.changes()).toEqual(before); // nothing unread to mark
  });

  it("marks every API answer no-store, including errors", async () => {
    for (const answer of [
      await send("/api/me", { method: "GET", person: harness.people.dana }),
      await send("/api/me", { method: "GET" }),
      await send("/api/health", { method: "GET" }),
    ]) {
      expect(answer.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("answers a method a route does not have with 405 in JSON, and an unknown API path with a JSON 404", async () => {
    expectJsonError(
      await send("/api/me", { method: "DELETE", person: harness.people.dana }),
      405,
      /DELETE is not supported/,
    );
    expectJsonError(
      await send("/api/runs/[id]", { method: "PUT", person: harness.people.dana, params: { id: "x" } }),
      405,
    );
    const unknown = await send("/api/[...path]", {
      method: "GET",
      params: { path: ["no", "such", "thing"] },
    });
    expectJsonError(unknown, 404, /No API at \/api\/no\/such\/thing/);
  });

  it("refuses silences and alert rules for services that do not exist, and accepts them for one that does", async () => {
    const before = await harness.changes();
    const silence = {
      namespace: "models",
      serviceName: "no-such-service",
      durationMinutes: 30,
      reason: "planned maintenance",
    };
    expectJsonError(
      await send("/api/alerts/silences", {
        method: "POST",
        person: harness.people.omar,
        headers: json,
        body: JSON.stringify(silence),
      }),
      400,
      /^serviceName: there is no InferenceService no-such-service/,
    );
    const rule = {
      namespace: "elsewhere",
      serviceName: "churn-classifier",
      kind: "ERROR_RATE",
      threshold: 0.05,
      forMinutes: 5,
    };
    expectJsonError(
      await send("/api/alerts/rules", {
        method: "PUT",
        person: harness.people.omar,
        headers: json,
        body: JSON.stringify(rule),
      }),
      400,
      /^serviceName: /,
    );
    expect(await harness.changes()).toEqual(before);
    const accepted = await send("/api/alerts/silences", {
      method: "POST",
      person: harness.people.omar,
      headers: json,
      body: JSON.stringify({ ...silence, serviceName: "churn-classifier" }),
    });
    expect(accepted.status, accepted.text).toBe(201);
  });

  it("refuses a launch naming a feature service Feast does not have, and records one it has", async () => {
    const launch = (featureService: string) =>
      send("/api/runs", {
        method: "POST",
        person: harness.people.dana,
        headers: json,
        body: JSON.stringify({ ...launchPresets[0].values, runName: "churn-on-features", featureService }),
      });
    const before = await harness.changes();
    expectJsonError(
      await launch("no_such_service"),
      400,
      /^featureService: no_such_service is not a feature service in Feast project telco_churn/,
    );
    expect(await harness.changes()).toEqual(before);
    const accepted = await launch("churn_model_v4");
    expect(accepted.status, accepted.text).toBe(200);
    const [row] = await harness.sql<{ feature_service: string }>(
      "SELECT feature_service FROM training_runs WHERE id = $1",
      [(accepted.json as { id: string }).id],
    );
    expect(row.feature_service).toBe("churn_model_v4");
  });

  it("refuses an LLM rule on a classic model and time to first token on TGI, changing nothing, and accepts TGI's queue", async () => {
    const before = await harness.changes();
    const put = (rule: Record<string, unknown>) =>
      send("/api/alerts/rules", {
        method: "PUT",
        person: harness.people.omar,
        headers: json,
        body: JSON.stringify({ namespace: "models", threshold: 10, forMinutes: 5, ...rule }),
      });
    expectJsonError(
      await put({ serviceName: "churn-classifier", kind: "LLM_QUEUE_SIZE" }),
      400,
      /^kind: LLM rules watch LLM services only/,
    );
    expectJsonError(
      await put({ serviceName: "ticket-summariser-llm", kind: "LLM_TTFT_P95", threshold: 2000 }),
      400,
      /^kind: Time to first token is not exported by TGI/,
    );
    expect(await harness.changes()).toEqual(before);
    const accepted = await put({ serviceName: "ticket-summariser-llm", kind: "LLM_QUEUE_SIZE" });
    expect(accepted.status, accepted.text).toBe(200);
    const vllm = await put({ serviceName: "support-assistant-llm", kind: "LLM_TTFT_P95", threshold: 2000 });
    expect(vllm.status, vllm.text).toBe(200);
  });
});
