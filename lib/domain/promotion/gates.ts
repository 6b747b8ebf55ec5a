import { evidenceKinds, type EvidenceKind, type PolicyRules } from "./policy";

/**
 * The policy's gates, evaluated against facts the worker gathered (MLflow metrics of candidate and
 * incumbent, evaluation data size, evidence tags, data-quality results). Pure: same facts, same
 * verdicts, so a reviewer can trust that the numbers on the page are the ones that were judged.
 */

export type EvidenceStatus = "passed" | "failed" | "missing";

export interface GateFacts {
  candidate: { version: string; metrics: Record<string, number> };
  /** What the candidate is compared with; `heldTarget` says where it was found (the target, or the stage above). */
  incumbent: { version: string; metrics: Record<string, number>; heldTarget: string } | null;
  evaluationRows: number | null;
  evidence: Record<EvidenceKind, { status: EvidenceStatus; detail: string }>;
}

export interface GateResult {
  id: string;
  label: string;
  passed: boolean;
  /** The numbers behind the verdict, in words. */
  detail: string;
  actual: number | null;
  threshold: number | null;
  /** The metric the gate judges, so the comparison table can show its rule. */
  metric?: string;
}

export const formatGateNumber = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/(?<!0)0+$/, "");
const fmt = formatGateNumber;

export function evaluateGates(
  policy: Pick<PolicyRules, "metrics" | "minEvaluationRows" | "requiredEvidence">,
  facts: GateFacts,
): GateResult[] {
  const results: GateResult[] = [];
  const incumbent = facts.incumbent;
  for (const rule of policy.metrics) {
    const { key } = rule;
    const candidate = facts.candidate.metrics[key];
    const isHigher = rule.direction === "higher";
    const better = `${rule.direction} is better`;
    if (rule.isRequired) {
      results.push({
        id: `metric:${key}:present`,
        label: `${key} is recorded`,
        passed: candidate !== undefined,
        detail:
          candidate === undefined
            ? `The candidate's run has no ${key} metric.`
            : `Candidate v${facts.candidate.version} records ${key} = ${fmt(candidate)}.`,
        actual: candidate ?? null,
        threshold: null,
        metric: key,
      });
    }
    if (rule.minimum !== null) {
      const label = `${key} ${isHigher ? "≥" : "≤"} ${fmt(rule.minimum)}`;
      if (candidate === undefined)
        results.push({
          id: `metric:${key}:minimum`,
          label,
          passed: false,
          detail: `Cannot judge: the candidate has no ${key} metric.`,
          actual: null,
          threshold: rule.minimum,
          metric: key,
        });
      else {
        const passed = isHigher ? candidate >= rule.minimum : candidate <= rule.minimum;
        results.push({
          id: `metric:${key}:minimum`,
          label,
          passed,
          detail: `Candidate ${key} is ${fmt(candidate)}: ${passed ? "meets" : "misses"} ${fmt(rule.minimum)} (${better}).`,
          actual: candidate,
          threshold: rule.minimum,
          metric: key,
        });
      }
    }
    if (rule.maxRegression !== null) {
      const tolerance = rule.maxRegression;
      const label =
        tolerance === 0
          ? `${key} no worse than the incumbent`
          : `${key} at most ${fmt(tolerance)} worse than the incumbent`;
      const id = `metric:${key}:regression`;
      const held = incumbent?.metrics[key];
      if (!incumbent)
        results.push({
          id,
          label,
          passed: true,
          detail: "No incumbent holds this target or the stage above it: nothing to regress from.",
          actual: candidate ?? null,
          threshold: null,
          metric: key,
        });
      else if (candidate === undefined || held === undefined) {
        const who =
          candidate === undefined
            ? "the candidate"
            : `incumbent v${incumbent.version} (${incumbent.heldTarget})`;
        results.push({
          id,
          label,
          passed: false,
          detail: `Cannot compare: ${who} has no ${key} metric.`,
          actual: candidate ?? null,
          threshold: null,
          metric: key,
        });
      } else {
        // Positive = better, whichever way the metric points.
        const gain = isHigher ? candidate - held : held - candidate;
        const threshold = isHigher ? held - tolerance : held + tolerance;
        const passed = gain >= -tolerance - 1e-12;
        const change = `${gain >= 0 ? "better by" : "worse by"} ${fmt(Math.abs(gain))}`;
        results.push({
          id,
          label,
          passed,
          detail: `Candidate ${fmt(candidate)} vs incumbent v${incumbent.version} (${incumbent.heldTarget}) ${fmt(held)}: ${change}, ${better} (tolerance ${fmt(tolerance)}).`,
          actual: candidate,
          threshold,
          metric: key,
        });
      }
    }
  }
  if (policy.minEvaluationRows !== null) {
    const rows = facts.evaluationRows;
    const passed = rows !== null && rows >= policy.minEvaluationRows;
    results.push({
      id: "evaluation-rows",
      label: `Evaluated on at least ${policy.minEvaluationRows.toLocaleString("en")} rows`,
      passed,
      detail:
        rows === null
          ? "The candidate's run records no evaluation data size."
          : `Evaluated on ${rows.toLocaleString("en")} rows.`,
      actual: rows,
      threshold: policy.minEvaluationRows,
    });
  }
  for (const kind of policy.requiredEvidence) {
    const fact = facts.evidence[kind];
    results.push({
      id: `evidence:${kind}`,
      label: evidenceKinds[kind],
      passed: fact.status === "passed",
      detail: fact.detail,
      actual: null,
      threshold: null,
    });
  }
  return results;
}

export const allGatesPass = (results: GateResult[]) => results.every((r) => r.passed);
