import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { formatNumber } from "@/components/ui/format";
import type { FeatureScoreRow } from "@/lib/dal/drift";

const methodLabels: Record<FeatureScoreRow["method"], string> = {
  ks: "Kolmogorov–Smirnov (p-value)",
  chisquare: "Chi-square (p-value)",
  z: "Z-test (p-value)",
  wasserstein: "Normed Wasserstein",
  jensenshannon: "Jensen–Shannon",
  psi: "PSI",
};

function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) return "—";
  return score !== 0 && Math.abs(score) < 0.001 ? score.toExponential(1) : formatNumber(score, 3);
}

/** One window's result per feature: method, score against its threshold, drifted or not. */
export function FeatureDriftTable({
  features,
  featureHref,
}: {
  features: FeatureScoreRow[];
  featureHref: (name: string) => string;
}) {
  const rows = [...features].sort(
    (a, b) => Number(b.isDrifted) - Number(a.isDrifted) || a.name.localeCompare(b.name),
  );
  return (
    <DataTable
      caption="Drift per feature in the selected window"
      rows={rows}
      rowKey={(row) => row.name}
      rowHref={(row) => featureHref(row.name)}
      columns={[
        {
          key: "name",
          header: "Feature",
          cell: (row) => <span className="font-mono">{row.name}</span>,
          isRowHeader: true,
        },
        { key: "kind", header: "Kind", cell: (row) => row.kind, hideBelow: "md" },
        { key: "method", header: "Method", cell: (row) => methodLabels[row.method], hideBelow: "sm" },
        { key: "score", header: "Score", value: (row) => row.score, format: formatScore },
        {
          key: "threshold",
          header: "Threshold",
          cell: (row) => `${row.scoreKind === "p_value" ? "p <" : "≥"} ${row.threshold}`,
          align: "end",
        },
        {
          key: "drifted",
          header: "Drift",
          cell: (row) =>
            !row.isEvaluated ? (
              <Badge>No data</Badge>
            ) : row.isDrifted ? (
              <Badge tone="danger" hasDot>
                Drifted
              </Badge>
            ) : (
              <Badge tone="success">Stable</Badge>
            ),
        },
        { key: "rows", header: "Rows", value: (row) => row.currentCount, format: "integer", hideBelow: "md" },
      ]}
    />
  );
}
