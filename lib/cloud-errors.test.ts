import { describe, expect, it } from "vitest";
import { CloudApiError, ContractError } from "@/lib/clients/http";
import { SqlStatementError } from "@/lib/clients/sql";
import { describeCloudError, isCloudNotFound, throwCloudError, translateCloudError } from "./cloud-errors";
import { AppError } from "./errors";

describe("translateCloudError", () => {
  const uc = (status: number, code: string, retryable = false) =>
    new CloudApiError("Unity Catalog", status, code, "upstream words", retryable);

  it("says what happened and what to do, by kind of failure", () => {
    expect(translateCloudError(uc(404, "TABLE_DOES_NOT_EXIST"), "the table a.b.c")).toMatchObject({
      code: "NOT_FOUND",
      message: "Unity Catalog could not find the table a.b.c.",
    });
    expect(translateCloudError(uc(403, "PERMISSION_DENIED"), "the table a.b.c")).toMatchObject({
      code: "UNAVAILABLE",
      retryable: false,
      message: expect.stringContaining("grant Switchboard's service principal access"),
    });
    expect(translateCloudError(uc(429, "REQUEST_LIMIT_EXCEEDED", true), "lineage")).toMatchObject({
      code: "RATE_LIMITED",
      retryable: true,
    });
    expect(translateCloudError(uc(0, "DEADLINE_EXCEEDED", true), "lineage")).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringMatching(/did not answer in time .*Try again/),
    });
    expect(translateCloudError(uc(503, "TEMPORARILY_UNAVAILABLE", true), "lineage")).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("(TEMPORARILY_UNAVAILABLE)"),
    });
    expect(translateCloudError(new ContractError("Unity Catalog", "/x", "bad"), "lineage")?.message).toMatch(
      /tell the platform team/,
    );
  });

  it("reads the warehouse's own error class for SQL failures", () => {
    const missing = new SqlStatementError(
      "s1",
      "FAILED",
      "BAD_REQUEST",
      "[TABLE_OR_VIEW_NOT_FOUND] The table or view `a`.`b`.`c` cannot be found. SQLSTATE: 42P01",
    );
    expect(translateCloudError(missing, "the row count")).toMatchObject({ code: "NOT_FOUND" });
    const cancelled = new SqlStatementError("s2", "RUNNING", "DEADLINE_EXCEEDED", "still RUNNING");
    expect(translateCloudError(cancelled, "the row count")?.message).toMatch(
      /A stopped warehouse takes a few minutes to start/,
    );
    const failed = new SqlStatementError(
      "s3",
      "FAILED",
      "BAD_REQUEST",
      "[DIVIDE_BY_ZERO] Division by zero. SQLSTATE: 22012",
    );
    expect(translateCloudError(failed, "the sample rows")?.message).toContain("(DIVIDE_BY_ZERO)");
  });

  it("passes AppErrors through and knows nothing of other errors (a bug, not a cloud failure)", () => {
    const appError = new AppError("FORBIDDEN", "no");
    expect(translateCloudError(appError, "x")).toBe(appError);
    expect(translateCloudError(new TypeError("undefined is not a function"), "x")).toBeUndefined();
  });

  it("keeps a 429 a 429 with the cloud's Retry-After, and says what a refused change or request was", () => {
    const limited = new CloudApiError("MLflow", 429, "REQUEST_LIMIT_EXCEEDED", "slow down", true, 7_000);
    expect(translateCloudError(limited, "the runs")).toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
      retryAfterMs: 7_000,
    });
    expect(
      translateCloudError(
        new CloudApiError("MLflow", 400, "RESOURCE_ALREADY_EXISTS", "exists", false),
        "the alias",
      ),
    ).toMatchObject({ code: "CONFLICT" });
    expect(
      translateCloudError(
        new CloudApiError("MLflow", 400, "INVALID_PARAMETER_VALUE", "bad filter", false),
        "the runs",
      ),
    ).toMatchObject({ code: "BAD_REQUEST", status: 400 });
    expect(
      translateCloudError(new CloudApiError("MLflow", 502, "", "bad gateway", true, 2_000)),
    ).toMatchObject({ code: "UNAVAILABLE", retryAfterMs: 2_000 });
  });
});

describe("throwCloudError: a record's own meaning, else the one translation", () => {
  const mlflow = (status: number, code: string, retryAfterMs?: number) =>
    new CloudApiError("MLflow", status, code, "upstream words", status >= 429, retryAfterMs);
  const thrown = (fn: () => never) => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error("did not throw");
  };
  const missing = () => new AppError("NOT_FOUND", "There is no registered model named churn.");
  const badFilter = () => new AppError("BAD_REQUEST", "MLflow could not use this search.");

  it("uses the meaning given for that answer", () => {
    expect(
      thrown(() => throwCloudError(mlflow(404, "RESOURCE_DOES_NOT_EXIST"), "x", { notFound: missing })),
    ).toMatchObject({ code: "NOT_FOUND", message: "There is no registered model named churn." });
    expect(
      thrown(() => throwCloudError(mlflow(400, "INVALID_PARAMETER_VALUE"), "x", { invalid: badFilter })),
    ).toMatchObject({ code: "BAD_REQUEST", message: "MLflow could not use this search." });
    const hidden = () => new AppError("BAD_REQUEST", "no such table");
    expect(
      thrown(() => throwCloudError(mlflow(403, "PERMISSION_DENIED"), "x", { forbidden: hidden })),
    ).toMatchObject({
      message: "no such table",
    });
  });

  it("reads every other answer as translateCloudError does: a 429 stays a 429 with Retry-After", () => {
    const meanings = { notFound: missing, invalid: badFilter, forbidden: missing };
    expect(
      thrown(() => throwCloudError(mlflow(429, "REQUEST_LIMIT_EXCEEDED", 7_000), "the runs", meanings)),
    ).toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
      retryAfterMs: 7_000,
    });
    expect(
      thrown(() => throwCloudError(mlflow(503, "TEMPORARILY_UNAVAILABLE"), "the runs", meanings)),
    ).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("MLflow failed to return the runs"),
    });
    // A 401 is Switchboard's own credentials, never "no such thing".
    expect(thrown(() => throwCloudError(mlflow(401, "UNAUTHENTICATED"), "the runs", meanings))).toMatchObject(
      {
        code: "UNAVAILABLE",
        message: expect.stringContaining("refused Switchboard access"),
      },
    );
    // An existing resource is a conflict even though MLflow sends it as a 400.
    expect(
      thrown(() => throwCloudError(mlflow(400, "RESOURCE_ALREADY_EXISTS"), "the alias", meanings)),
    ).toMatchObject({
      code: "CONFLICT",
    });
    expect(thrown(() => throwCloudError(mlflow(404, "RESOURCE_DOES_NOT_EXIST"), "the runs"))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("rethrows what is not a cloud failure as it is", () => {
    const bug = new TypeError("undefined is not a function");
    expect(thrown(() => throwCloudError(bug, "x", { notFound: missing }))).toBe(bug);
  });

  it("describes a failed source for a page that still shows the rest", () => {
    expect(describeCloudError(mlflow(503, ""), "the workspace model registry")).toMatch(
      /^MLflow failed to return the workspace model registry/,
    );
    expect(describeCloudError(new Error("boom"), "the KServe service list")).toBe(
      "Switchboard could not read the KServe service list (unexpected error).",
    );
    expect(isCloudNotFound(mlflow(404, ""))).toBe(true);
    expect(isCloudNotFound(new AppError("NOT_FOUND", "x"))).toBe(false);
  });
});
