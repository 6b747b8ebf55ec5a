import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { PromotionSummary } from "@/lib/dal/promotions";

/** Promotion requests with age, model, target, gate results and approvals; rows open the decision page. */
export function PromotionTable({ rows, caption }: { rows: PromotionSummary[]; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(r) => r.id}
      rowHref={(r) => `/approvals/${r.id}`}
      empty="No promotion requests here."
      columns={[
        { key: "model", header: "Model", isRowHeader: true, cell: (r) => `${r.modelName} v${r.version}` },
        { key: "target", header: "Target", cell: (r) => r.target },
        {
          key: "status",
          header: "Status",
          cell: (r) => <StatusBadge domain="promotion" status={r.status} />,
        },
        {
          key: "gates",
          header: "Gates",
          cell: (r) =>
            !r.isEvaluated ? (
              <Badge tone="neutral">Evaluating</Badge>
            ) : (
              <Badge tone={r.gatesPassed ? "success" : r.isOverridden ? "warning" : "danger"}>
                {r.gateCounts.passed}/{r.gateCounts.total} pass{r.isOverridden ? " · overridden" : ""}
              </Badge>
            ),
        },
        { key: "approvals", header: "Approvals", cell: (r) => `${r.approvals}/${r.requiredApprovals}` },
        { key: "requester", header: "Requested by", cell: (r) => r.requestedBy, hideBelow: "md" },
        { key: "age", header: "Age", cell: (r) => <RelativeTime date={r.createdAt} /> },
      ]}
    />
  );
}
