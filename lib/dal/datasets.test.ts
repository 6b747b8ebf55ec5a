import { describe, expect, it } from "vitest";
import { CloudApiError, ContractError } from "@/lib/clients/http";
import { SqlStatementError } from "@/lib/clients/sql";
import { AppError } from "@/lib/errors";
import { rankSearchEntries, toDatasetError } from "./datasets";

describe("toDatasetError", () => {
  const uc = (status: number, code: string, retryable = false) => new CloudApiError("Unity Catalog", status, code, "upstream words", retryable);

  it("says what happened and what to do, by kind of failure", () => {
    expect(toDatasetError(uc(404, "TABLE_DOES_NOT_EXIST"), "the table a.b.c")).toMatchObject({ code: "NOT_FOUND", message: "Unity Catalog could not find the table a.b.c." });
    expect(toDatasetError(uc(403, "PERMISSION_DENIED"), "the table a.b.c")).toMatchObject({ code: "UNAVAILABLE", retryable: false, message: expect.stringContaining("grant Switchboard's service principal access") });
    expect(toDatasetError(uc(429, "REQUEST_LIMIT_EXCEEDED", true), "lineage")).toMatchObject({ code: "RATE_LIMITED", retryable: true });
    expect(toDatasetError(uc(0, "DEADLINE_EXCEEDED", true), "lineage")).toMatchObject({ code: "UNAVAILABLE", message: expect.stringMatching(/did not answer in time .*Try again/) });
    expect(toDatasetError(uc(503, "TEMPORARILY_UNAVAILABLE", true), "lineage")).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("(TEMPORARILY_UNAVAILABLE)") });
    expect(toDatasetError(new ContractError("Unity Catalog", "/x", "bad"), "lineage").message).toMatch(/tell the platform team/);
  });

  it("reads the warehouse's own error class for SQL failures", () => {
    const missing = new SqlStatementError("s1", "FAILED", "BAD_REQUEST", "[TABLE_OR_VIEW_NOT_FOUND] The table or view `a`.`b`.`c` cannot be found. SQLSTATE: 42P01");
    expect(toDatasetError(missing, "the row count")).toMatchObject({ code: "NOT_FOUND" });
    const cancelled = new SqlStatementError("s2", "RUNNING", "DEADLINE_EXCEEDED", "still RUNNING");
    expect(toDatasetError(cancelled, "the row count").message).toMatch(/A stopped warehouse takes a few minutes to start/);
    const failed = new SqlStatementError("s3", "FAILED", "BAD_REQUEST", "[DIVIDE_BY_ZERO] Division by zero. SQLSTATE: 22012");
    expect(toDatasetError(failed, "the sample rows").message).toContain("(DIVIDE_BY_ZERO)");
  });

  it("passes AppErrors through and rethrows what it does not know (a bug, not a cloud failure)", () => {
    const appError = new AppError("FORBIDDEN", "no");
    expect(toDatasetError(appError, "x")).toBe(appError);
    expect(() => toDatasetError(new TypeError("undefined is not a function"), "x")).toThrow(TypeError);
  });
});

describe("rankSearchEntries", () => {
  const entry = (fullName: string, comment: string | null = null, kind: "catalog" | "schema" | "table" = "table") => ({ kind, fullName, name: fullName.split(".").at(-1)!, comment, tableType: null });
  const entries = [entry("main.features.customer_features", "One row per customer"), entry("ml.features", "Model-specific feature views", "schema"), entry("raw.telco_raw.customer_cdr", "Call records with churn flags")];

  it("needs every word somewhere, ranks name matches above comment matches", () => {
    expect(rankSearchEntries(entries, "customer").map((e) => e.fullName)).toEqual(["main.features.customer_features", "raw.telco_raw.customer_cdr"]);
    expect(rankSearchEntries(entries, "churn").map((e) => e.fullName)).toEqual(["raw.telco_raw.customer_cdr"]);
    expect(rankSearchEntries(entries, "features").map((e) => e.fullName)).toEqual(["ml.features", "main.features.customer_features"]);
    expect(rankSearchEntries(entries, "customer churn").map((e) => e.fullName)).toEqual(["raw.telco_raw.customer_cdr"]);
    expect(rankSearchEntries(entries, "main.features.customer_features")[0].fullName).toBe("main.features.customer_features");
    expect(rankSearchEntries(entries, "   ")).toEqual([]);
  });
});
