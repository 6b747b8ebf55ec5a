import { KeyValueList } from "@/components/ui/key-value-list";
import { describeRule, evidenceKinds, type AppliedPolicy } from "@/lib/domain/promotion/policy";

/** The policy version a request is judged by, in words: the reviewer sees the rule behind every number. */
export function PolicySummary({ policy }: { policy: AppliedPolicy }) {
  const origin =
    policy.version === null
      ? `No policy is set for ${policy.modelName} → ${policy.target}: the built-in rules apply (no metric gates). An admin can set one.`
      : `${policy.modelName} → ${policy.target === "*" ? "every target" : policy.target}, version ${policy.version}, effective from ${new Date(policy.effectiveFrom!).toUTCString()}.`;
  return (
    <div className="space-y-2">
      <p className="text-sm text-fg-muted">{origin}</p>
      <KeyValueList
        items={[
          ...policy.metrics.map((m) => ({ label: m.key, value: describeRule(m) })),
          {
            label: "Evaluation data",
            value:
              policy.minEvaluationRows === null
                ? "no minimum"
                : `at least ${policy.minEvaluationRows.toLocaleString("en")} rows`,
          },
          {
            label: "Required evidence",
            value: policy.requiredEvidence.length
              ? policy.requiredEvidence.map((k) => evidenceKinds[k]).join(", ")
              : "none",
          },
          { label: "Approvals", value: String(policy.approvals) },
        ]}
      />
    </div>
  );
}
