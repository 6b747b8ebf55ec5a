import { describe, expect, it } from "vitest";
import type { Evidence } from "./evidence";
import { allGatesPass, defaultPolicy, evaluateGates, type GatePolicy } from "./gates";

function evidence(candidate: Record<string, number>, incumbent: Record<string, number> | null, checklist: Evidence["checklist"] = []): Evidence {
  const version = (v: string, metrics: Record<string, number>) => ({ version: v, runId: `run-${v}`, runName: null, metrics, registeredAt: null });
  return {
    capturedAt: "2026-11-26T20:00:00.000Z",
    candidate: version("5", candidate),
    incumbent: incumbent ? version("4", incumbent) : null,
    latestVersion: "5",
    dataset: { fullName: null, upstreams: [], downstreams: [], note: null },
    validation: { status: "unknown", checks: [], checkedAt: null, note: null },
    liveHealth: { status: "unknown", serviceName: null, p95LatencyMs: null, errorShare: null, driftShare: null, note: null },
    checklist,
  };
}

const policy: GatePolicy = { ...defaultPolicy, minimum: 0.8, maxRegression: 0.01, requiredChecklist: ["model-card-reviewed"] };

describe("evaluateGates", () => {
  it("passes a candidate above the minimum that regresses within tolerance, with the numbers", () => {
    const results = evaluateGates(policy, evidence({ auc: 0.845 }, { auc: 0.85 }, ["model-card-reviewed"]));
    expect(results.map((r) => [r.id, r.passed])).toEqual([["minimum", true], ["regression", true], ["checklist:model-card-reviewed", true]]);
    expect(results[0]).toMatchObject({ actual: 0.845, threshold: 0.8 });
    expect(results[1].threshold).toBeCloseTo(0.84, 10);
    expect(results[1].detail).toBe("Candidate 0.845 vs incumbent v4 0.85: regresses by 0.005 (tolerance 0.01).");
    expect(allGatesPass(results)).toBe(true);
  });

  it("fails below the minimum, beyond the tolerance, and for missing checklist items or metrics", () => {
    const results = evaluateGates(policy, evidence({ auc: 0.79 }, { auc: 0.81 }));
    expect(results.map((r) => r.passed)).toEqual([false, false, false]);
    const missing = evaluateGates(policy, evidence({ f1: 0.5 }, { auc: 0.81 }));
    expect(missing.slice(0, 2).map((r) => r.detail)).toEqual(["The candidate's run has no auc metric.", "Cannot compare: the candidate has no auc metric."]);
  });

  it("honours lower-is-better metrics and passes the regression gate with no incumbent", () => {
    const rmse: GatePolicy = { ...policy, primaryMetric: "rmse", higherIsBetter: false, minimum: 2, maxRegression: 0.1, requiredChecklist: [] };
    expect(evaluateGates(rmse, evidence({ rmse: 1.95 }, { rmse: 1.8 })).map((r) => r.passed)).toEqual([true, false]);
    expect(evaluateGates(rmse, evidence({ rmse: 1.85 }, { rmse: 1.8 })).map((r) => r.passed)).toEqual([true, true]);
    expect(evaluateGates(rmse, evidence({ rmse: 1.85 }, null))[1]).toMatchObject({ passed: true, detail: expect.stringContaining("No incumbent") });
  });
});
