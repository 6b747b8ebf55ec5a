import { describe, expect, it } from "vitest";
import { can } from "@/lib/auth/permissions";
import { ruleInput } from "./alerts";

const base = { namespace: "models", serviceName: "churn-classifier", forMinutes: 5 };
const thresholdError = (input: object) => {
  const result = ruleInput.safeParse({ ...base, ...input });
  return result.success
    ? null
    : (result.error.issues.find((issue) => issue.path[0] === "threshold")?.message ??
        result.error.issues[0].message);
};

describe("ruleInput", () => {
  it("bounds each kind's threshold in its own unit", () => {
    expect(thresholdError({ kind: "LATENCY_P95", threshold: 500 })).toBeNull();
    expect(thresholdError({ kind: "LATENCY_P95", threshold: 0 })).toBe(
      "Latency p95 thresholds are milliseconds between 1 and 600000 (10 min)",
    );
    expect(thresholdError({ kind: "ERROR_RATE", threshold: "0.05" })).toBeNull();
    // 5 meant as "5 %": a share must be at most 1.
    expect(thresholdError({ kind: "ERROR_RATE", threshold: 5 })).toBe(
      "Error rate thresholds are a share between 0 and 1, e.g. 0.05 for 5 %",
    );
    expect(thresholdError({ kind: "DRIFT_SHARE", threshold: 1 })).toBeNull();
    expect(thresholdError({ kind: "DRIFT_SHARE", threshold: 1.5 })).toMatch(/share between 0 and 1/);
    expect(thresholdError({ kind: "NO_DATA", threshold: 10 })).toBeNull();
    expect(thresholdError({ kind: "NO_DATA", threshold: 2.5 })).toBe(
      "No data thresholds are whole minutes between 1 and 1440",
    );
  });

  it("refuses what is not a number, and odd durations, naming the field", () => {
    expect(thresholdError({ kind: "LATENCY_P95", threshold: "fast" })).toBe("a number");
    const result = ruleInput.safeParse({ ...base, kind: "LATENCY_P95", threshold: 500, forMinutes: 1.5 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["forMinutes", "whole minutes"],
    ]);
    expect(
      ruleInput.safeParse({ ...base, serviceName: "Not_A_Name", kind: "NO_DATA", threshold: 10 }).success,
    ).toBe(false);
  });

  it("coerces the form's strings and defaults to enabled", () => {
    expect(ruleInput.parse({ ...base, kind: "LATENCY_P95", threshold: "750", forMinutes: "0" })).toEqual({
      ...base,
      kind: "LATENCY_P95",
      threshold: 750,
      forMinutes: 0,
      isEnabled: true,
    });
  });
});

describe("who may change alert rules", () => {
  it("is on-call engineers and admins, not data scientists or risk officers", () => {
    expect(can({ roles: ["OnCall"] }, "alerts:configure")).toBe(true);
    expect(can({ roles: ["Admin"] }, "alerts:configure")).toBe(true);
    expect(can({ roles: ["DataScientist"] }, "alerts:configure")).toBe(false);
    expect(can({ roles: ["ModelRiskOfficer"] }, "alerts:configure")).toBe(false);
  });
});
