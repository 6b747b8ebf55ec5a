import { describe, expect, it } from "vitest";
import { describeRule, directionOf, policyRulesSchema, requiredApprovals, selectPolicy } from "./policy";

const at = (iso: string) => new Date(iso);

describe("selectPolicy", () => {
  const versions = [
    { id: "p1", target: "Production", version: 1, effectiveFrom: at("2026-11-01T00:00:00Z") },
    { id: "p2", target: "Production", version: 2, effectiveFrom: at("2026-12-01T00:00:00Z") },
    { id: "any", target: "*", version: 1, effectiveFrom: at("2026-10-01T00:00:00Z") },
  ];
  it("takes the target's newest version in force, else the model's every-target policy, else none", () => {
    expect(selectPolicy(versions, "Production", at("2026-11-15T00:00:00Z"))?.id).toBe("p1");
    expect(selectPolicy(versions, "Production", at("2026-12-02T00:00:00Z"))?.id).toBe("p2");
    expect(selectPolicy(versions, "Staging", at("2026-12-02T00:00:00Z"))?.id).toBe("any");
    expect(selectPolicy(versions, "Staging", at("2026-09-01T00:00:00Z"))).toBeNull();
  });
});

describe("policy rules", () => {
  it("refuses a repeated metric and a negative tolerance, naming the field", () => {
    const parsed = policyRulesSchema.safeParse({
      approvals: 2,
      metrics: [
        { key: "auc", direction: "higher" },
        { key: "auc", direction: "higher", maxRegression: -1 },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual(
      expect.arrayContaining([
        ["metrics.1.maxRegression", "A regression tolerance cannot be negative."],
        ["metrics.1.key", "auc is listed twice."],
      ]),
    );
  });
  it("never lets production need fewer than two approvals", () => {
    expect(requiredApprovals({ approvals: 1 }, true)).toBe(2);
    expect(requiredApprovals({ approvals: 1 }, false)).toBe(1);
    expect(requiredApprovals({ approvals: 3 }, false)).toBe(3);
  });
  it("describes rules and directions, marking guesses", () => {
    expect(
      describeRule({ key: "val_loss", direction: "lower", isRequired: true, minimum: 0.5, maxRegression: 0 }),
    ).toBe("lower is better · ≤ 0.5 · no worse than the incumbent · required");
    expect(directionOf("auc", { metrics: [] })).toEqual({ direction: "higher", isAssumed: true });
    expect(directionOf("val_loss", { metrics: [] })).toEqual({ direction: "lower", isAssumed: true });
    expect(
      directionOf("auc", {
        metrics: [{ key: "auc", direction: "lower", isRequired: false, minimum: null, maxRegression: null }],
      }),
    ).toEqual({ direction: "lower", isAssumed: false });
    expect(directionOf("epochs", { metrics: [] })).toEqual({ direction: null, isAssumed: true });
  });
  it("points an LLM fine-tune's evaluation metrics the right way on the evidence page, even without a policy", () => {
    // The keys the fine-tuning job logs (sandbox/databricks/programs/fine-tuning-simulation.ts).
    expect(directionOf("rouge_l", { metrics: [] })).toEqual({ direction: "higher", isAssumed: true });
    expect(directionOf("exact_match", { metrics: [] })).toEqual({ direction: "higher", isAssumed: true });
    expect(directionOf("toxicity", { metrics: [] })).toEqual({ direction: "lower", isAssumed: true });
    expect(directionOf("eval_loss", { metrics: [] })).toEqual({ direction: "lower", isAssumed: true });
  });
});
