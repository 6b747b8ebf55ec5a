import { describe, expect, it } from "vitest";
import { allGatesPass, evaluateGates, type GateFacts } from "./gates";
import type { MetricRule, PolicyRules } from "./policy";

const noEvidence: GateFacts["evidence"] = {
  "model-card": { status: "missing", detail: "No model_card tag on the version or its run." },
  "fairness-check": { status: "missing", detail: "No fairness_check tag on the version or its run." },
  "data-quality": { status: "passed", detail: "5 of 5 expectations passed." },
};
function facts(
  candidate: Record<string, number>,
  incumbent: Record<string, number> | null,
  extra: Partial<GateFacts> = {},
): GateFacts {
  return {
    candidate: { version: "9", metrics: candidate },
    incumbent: incumbent ? { version: "8", metrics: incumbent, heldTarget: "Production" } : null,
    evaluationRows: null,
    evidence: noEvidence,
    ...extra,
  };
}
const rule = (key: string, direction: "higher" | "lower", extra: Partial<MetricRule> = {}): MetricRule => ({
  key,
  direction,
  isRequired: true,
  minimum: null,
  maxRegression: null,
  ...extra,
});
const policy = (metrics: MetricRule[], extra: Partial<PolicyRules> = {}) => ({
  metrics,
  minEvaluationRows: null,
  requiredEvidence: [],
  ...extra,
});

describe("evaluateGates", () => {
  // The case: AUC −0.069, F1 −0.321, val_loss +0.085 against the incumbent once showed "Gates pass".
  const worse = facts({ auc: 0.8, f1: 0.3, val_loss: 0.4 }, { auc: 0.869, f1: 0.621, val_loss: 0.315 });
  const noRegression = policy([
    rule("auc", "higher", { maxRegression: 0.01 }),
    rule("f1", "higher", { maxRegression: 0 }),
    rule("val_loss", "lower", { maxRegression: 0.02 }),
  ]);

  it("fails a worse candidate on every regressed metric, whichever way each metric points, and names it", () => {
    const results = evaluateGates(noRegression, worse);
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.id)).toEqual([
      "metric:auc:regression",
      "metric:f1:regression",
      "metric:val_loss:regression",
    ]);
    expect(failed[2]).toMatchObject({ label: "val_loss at most 0.02 worse than the incumbent", actual: 0.4 });
    expect(failed[2].threshold).toBeCloseTo(0.335, 10);
    expect(failed[2].detail).toBe(
      "Candidate 0.4 vs incumbent v8 (Production) 0.315: worse by 0.085, lower is better (tolerance 0.02).",
    );
    expect(failed[0].detail).toContain("worse by 0.069, higher is better");
    expect(allGatesPass(results)).toBe(false);
  });

  it("passes a lower-is-better metric that went down and a higher-is-better one within tolerance", () => {
    const results = evaluateGates(
      noRegression,
      facts({ auc: 0.865, f1: 0.63, val_loss: 0.3 }, { auc: 0.869, f1: 0.621, val_loss: 0.315 }),
    );
    expect(results.every((r) => r.passed)).toBe(true);
    expect(results.find((r) => r.id === "metric:val_loss:regression")!.detail).toContain(
      "better by 0.015, lower is better",
    );
  });

  it("judges absolute thresholds by direction", () => {
    const thresholds = policy([
      rule("auc", "higher", { minimum: 0.85 }),
      rule("rmse", "lower", { minimum: 2 }),
    ]);
    expect(evaluateGates(thresholds, facts({ auc: 0.85, rmse: 2 }, null)).map((r) => r.passed)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      evaluateGates(thresholds, facts({ auc: 0.849, rmse: 2.01 }, null)).map((r) => [r.id, r.passed]),
    ).toEqual([
      ["metric:auc:present", true],
      ["metric:auc:minimum", false],
      ["metric:rmse:present", true],
      ["metric:rmse:minimum", false],
    ]);
  });

  it("fails missing metrics: a required one the candidate lacks, and any regression that cannot be compared", () => {
    const results = evaluateGates(noRegression, facts({ auc: 0.9, val_loss: 0.3 }, { auc: 0.86, f1: 0.6 }));
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId["metric:f1:present"]).toMatchObject({
      passed: false,
      detail: "The candidate's run has no f1 metric.",
    });
    expect(byId["metric:f1:regression"]).toMatchObject({
      passed: false,
      detail: "Cannot compare: the candidate has no f1 metric.",
    });
    expect(byId["metric:val_loss:regression"]).toMatchObject({
      passed: false,
      detail: "Cannot compare: incumbent v8 (Production) has no val_loss metric.",
    });
    expect(byId["metric:auc:regression"].passed).toBe(true);
    const optional = evaluateGates(policy([rule("f1", "higher", { isRequired: false })]), facts({}, null));
    expect(optional).toEqual([]);
  });

  it("passes regression gates when nothing holds the target or the stage above it", () => {
    expect(
      evaluateGates(noRegression, facts({ auc: 0.5, f1: 0.1, val_loss: 0.9 }, null))
        .filter((r) => r.id.endsWith(":regression"))
        .every((r) => r.passed && r.detail.startsWith("No incumbent")),
    ).toBe(true);
  });

  it("checks evaluation size and required evidence", () => {
    const strict = policy([], {
      minEvaluationRows: 10_000,
      requiredEvidence: ["model-card", "fairness-check", "data-quality"],
    });
    const results = evaluateGates(strict, facts({}, null, { evaluationRows: 9_999 }));
    expect(results.map((r) => [r.id, r.passed])).toEqual([
      ["evaluation-rows", false],
      ["evidence:model-card", false],
      ["evidence:fairness-check", false],
      ["evidence:data-quality", true],
    ]);
    expect(results[0]).toMatchObject({
      label: "Evaluated on at least 10,000 rows",
      detail: "Evaluated on 9,999 rows.",
    });
    expect(evaluateGates(strict, facts({}, null))[0].detail).toBe(
      "The candidate's run records no evaluation data size.",
    );
  });
});
