import { checklistItems, type Evidence } from "./evidence";

/** The per-model policy (ModelPolicy row); a model without one gets `defaultPolicy`. */
export interface GatePolicy {
  primaryMetric: string;
  higherIsBetter: boolean;
  minimum: number | null;
  /** How much worse than the incumbent the candidate may be, in the metric's units. */
  maxRegression: number | null;
  requiredChecklist: string[];
  productionApprovals: number;
}

export const defaultPolicy: GatePolicy = {
  primaryMetric: "auc",
  higherIsBetter: true,
  minimum: null,
  maxRegression: null,
  requiredChecklist: ["model-card-reviewed", "fairness-check-done"],
  productionApprovals: 2,
};

export interface GateResult {
  id: string;
  label: string;
  passed: boolean;
  /** The numbers behind the verdict, in words. */
  detail: string;
  actual: number | null;
  threshold: number | null;
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, ""));

/** Evaluates every gate of the policy against the snapshot. Pure: same inputs, same verdicts. */
export function evaluateGates(policy: GatePolicy, evidence: Evidence): GateResult[] {
  const results: GateResult[] = [];
  const metric = policy.primaryMetric;
  const candidate = evidence.candidate.metrics[metric];
  const better = policy.higherIsBetter ? "higher" : "lower";

  if (policy.minimum !== null) {
    const label = `${metric} ${policy.higherIsBetter ? "≥" : "≤"} ${fmt(policy.minimum)}`;
    if (candidate === undefined) results.push({ id: "minimum", label, passed: false, detail: `The candidate's run has no ${metric} metric.`, actual: null, threshold: policy.minimum });
    else {
      const passed = policy.higherIsBetter ? candidate >= policy.minimum : candidate <= policy.minimum;
      results.push({ id: "minimum", label, passed, detail: `Candidate ${metric} is ${fmt(candidate)} (${passed ? "meets" : "misses"} ${fmt(policy.minimum)}; ${better} is better).`, actual: candidate, threshold: policy.minimum });
    }
  }

  if (policy.maxRegression !== null) {
    const label = `No ${metric} regression beyond ${fmt(policy.maxRegression)} vs incumbent`;
    const incumbent = evidence.incumbent?.metrics[metric];
    if (!evidence.incumbent) results.push({ id: "regression", label, passed: true, detail: "No incumbent in this stage/alias: nothing to regress from.", actual: candidate ?? null, threshold: null });
    else if (candidate === undefined || incumbent === undefined) {
      results.push({ id: "regression", label, passed: false, detail: `Cannot compare: ${candidate === undefined ? "the candidate" : `incumbent v${evidence.incumbent.version}`} has no ${metric} metric.`, actual: candidate ?? null, threshold: null });
    } else {
      const change = policy.higherIsBetter ? candidate - incumbent : incumbent - candidate;
      const threshold = policy.higherIsBetter ? incumbent - policy.maxRegression : incumbent + policy.maxRegression;
      const passed = change >= -policy.maxRegression - 1e-12;
      results.push({
        id: "regression",
        label,
        passed,
        detail: `Candidate ${fmt(candidate)} vs incumbent v${evidence.incumbent.version} ${fmt(incumbent)}: ${change >= 0 ? "improves by" : "regresses by"} ${fmt(Math.abs(change))} (tolerance ${fmt(policy.maxRegression)}).`,
        actual: candidate,
        threshold,
      });
    }
  }

  for (const item of policy.requiredChecklist) {
    const label = (checklistItems as Record<string, string>)[item] ?? item;
    const passed = (evidence.checklist as string[]).includes(item);
    results.push({ id: `checklist:${item}`, label, passed, detail: passed ? "Confirmed by the requester." : "Not confirmed by the requester.", actual: null, threshold: null });
  }
  return results;
}

export const allGatesPass = (results: GateResult[]) => results.every((r) => r.passed);
