import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatNumber, formatPercent } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import type { Evidence } from "@/lib/domain/promotion/evidence";
import { describeRule, directionOf, type AppliedPolicy } from "@/lib/domain/promotion/policy";

const verdictStyle = {
  better: "text-success",
  worse: "text-danger",
  unknown: "text-fg-muted",
  same: "text-fg-muted",
} as const;

/**
 * Candidate and incumbent side by side, metric by metric: the change with an arrow for its sign,
 * coloured by whether it is better or worse (the policy's direction, else a guess marked as such),
 * and the rule the policy judges each metric by.
 */
export function MetricComparison({ evidence, policy }: { evidence: Evidence; policy: AppliedPolicy }) {
  const ruled = policy.metrics.map((m) => m.key);
  const others = [
    ...new Set([
      ...Object.keys(evidence.candidate.metrics),
      ...Object.keys(evidence.incumbent?.metrics ?? {}),
    ]),
  ]
    .filter((k) => !ruled.includes(k))
    .sort();
  const keys = [...ruled, ...others];
  const incumbent = evidence.incumbent;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">
          Candidate metrics against the incumbent, with the policy rule for each
        </caption>
        <thead>
          <tr className="border-b border-line text-left text-xs text-fg-muted">
            <th scope="col" className="px-3 py-2">
              Metric
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Candidate v{evidence.candidate.version}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              {incumbent ? `Incumbent v${incumbent.version} (${incumbent.heldTarget})` : "No incumbent"}
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Change
            </th>
            <th scope="col" className="px-3 py-2">
              Judged by
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const candidate = evidence.candidate.metrics[key];
            const held = incumbent?.metrics[key];
            const change = candidate !== undefined && held !== undefined ? candidate - held : null;
            const { direction, isAssumed } = directionOf(key, policy);
            const rule = policy.metrics.find((m) => m.key === key);
            const verdict =
              change === null || direction === null
                ? "unknown"
                : change === 0
                  ? "same"
                  : change > 0 === (direction === "higher")
                    ? "better"
                    : "worse";
            return (
              <tr key={key} className="border-b border-line last:border-0">
                <th scope="row" className="px-3 py-2 text-left font-medium">
                  {key}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">{formatNumber(candidate, 4)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatNumber(held, 4)}</td>
                <td className={`px-3 py-2 text-right tabular-nums font-medium ${verdictStyle[verdict]}`}>
                  {change === null ? (
                    "—"
                  ) : (
                    <>
                      <span aria-hidden>{change > 0 ? "▲ " : change < 0 ? "▼ " : ""}</span>
                      {`${change >= 0 ? "+" : ""}${formatNumber(change, 4)}`}
                      {(verdict === "better" || verdict === "worse") && (
                        <span className="ml-1 text-xs">{verdict}</span>
                      )}
                    </>
                  )}
                </td>
                <td className="px-3 py-2 text-xs text-fg-muted">
                  {rule ? (
                    <span className="text-fg">{describeRule(rule)}</span>
                  ) : direction ? (
                    `not in the policy; ${direction} assumed better`
                  ) : isAssumed ? (
                    "not in the policy"
                  ) : (
                    ""
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!keys.length && (
        <p className="px-3 py-2 text-sm text-fg-muted">Neither version's run logged metrics.</p>
      )}
      <p className="border-t border-line px-3 py-2 text-xs text-fg-muted">
        Evaluated on{" "}
        {evidence.evaluation.rows === null
          ? "an unrecorded number of rows"
          : `${evidence.evaluation.rows.toLocaleString("en")} rows (${evidence.evaluation.source})`}
        ; trained on {evidence.dataset.fullName ?? "an unrecorded dataset"}.
        {incumbent ? ` The incumbent is the version holding ${incumbent.heldTarget}.` : ""}
      </p>
    </div>
  );
}

const validationTone = { passed: "success", failed: "danger", unknown: "neutral" } as const;

/** Dataset lineage, validation results and the served model's live health, as captured. */
export function EvidenceDetails({ evidence }: { evidence: Evidence }) {
  const { dataset, validation, liveHealth } = evidence;
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card title="Training dataset" headingLevel={3}>
        <KeyValueList
          items={[
            { label: "Table", value: dataset.fullName ?? "unknown", isMono: true },
            {
              label: "Upstream",
              value: dataset.upstreams.length ? dataset.upstreams.join(", ") : "none recorded",
              isMono: true,
            },
            {
              label: "Downstream",
              value: dataset.downstreams.length ? dataset.downstreams.join(", ") : "none recorded",
              isMono: true,
            },
          ]}
        />
        {dataset.note && <p className="mt-2 text-xs text-fg-muted">{dataset.note}</p>}
      </Card>
      <Card
        title="Validation"
        headingLevel={3}
        actions={<Badge tone={validationTone[validation.status]}>{validation.status}</Badge>}
      >
        {validation.checks.length ? (
          <ul className="space-y-1 text-sm">
            {validation.checks.map((check, index) => (
              <li key={index} className="flex justify-between gap-2">
                <span className="truncate">
                  {check.success ? "✓" : "✗"} {check.expectation}
                  {check.column ? ` (${check.column})` : ""}
                </span>
                <span className="tabular-nums text-fg-muted">{formatNumber(check.observedValue, 3)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">{validation.note}</p>
        )}
      </Card>
      <Card
        title="Production live health"
        headingLevel={3}
        actions={<Badge tone={liveHealth.status === "known" ? "info" : "neutral"}>{liveHealth.status}</Badge>}
      >
        {liveHealth.status === "known" ? (
          <KeyValueList
            items={[
              { label: "Service", value: liveHealth.serviceName ?? "—", isMono: true },
              {
                label: "p95 latency",
                value:
                  liveHealth.p95LatencyMs === null
                    ? "no traffic"
                    : `${formatNumber(liveHealth.p95LatencyMs, 1)} ms`,
              },
              {
                label: "5xx share",
                value:
                  liveHealth.errorShare === null ? "no traffic" : formatPercent(liveHealth.errorShare, 2),
              },
              {
                label: "Drifted features",
                value: liveHealth.driftShare === null ? "not computed" : formatPercent(liveHealth.driftShare),
              },
            ]}
          />
        ) : null}
        {liveHealth.note && <p className="mt-2 text-xs text-fg-muted">{liveHealth.note}</p>}
      </Card>
    </div>
  );
}
