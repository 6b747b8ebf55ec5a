import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/components/ui/format";

/** The last trigger requests made from Switchboard for a DAG or pipeline, each linking to its run. */
export function TriggerRequestsCard({
  triggers,
  hrefOf,
  orchestrator,
  noun,
}: {
  triggers: Array<{ id: string; dagRunId: string; status: string; requestedBy: string; createdAt: string }>;
  hrefOf: (dagRunId: string) => string;
  /** "Airflow" or "Data Factory": where a sent request now is. */
  orchestrator: string;
  noun: "DAG" | "pipeline";
}) {
  return (
    <Card title="Requested from Switchboard" description={`The last ten trigger requests for this ${noun}.`}>
      {triggers.length === 0 ? (
        <p className="text-sm text-fg-muted">Nobody has triggered this {noun} from Switchboard yet.</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {triggers.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center justify-between gap-2">
              <Link className="hover:underline" href={hrefOf(t.dagRunId)}>
                {t.requestedBy}, {formatDateTime(t.createdAt)}
              </Link>
              <Badge
                tone={t.status === "FAILED" ? "danger" : t.status === "TRIGGERED" ? "success" : "neutral"}
              >
                {t.status === "QUEUED"
                  ? "Sending"
                  : t.status === "TRIGGERED"
                    ? `In ${orchestrator}`
                    : "Failed"}
              </Badge>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
