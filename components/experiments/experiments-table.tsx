import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";

interface ExperimentRow {
  experimentId: string;
  name: string;
  lastUpdateTime: number | null;
  creationTime: number | null;
  tags: Record<string, string>;
}

export function ExperimentsTable({ experiments }: { experiments: ExperimentRow[] }) {
  return (
    <DataTable
      caption="MLflow experiments, most recently updated first"
      rows={experiments}
      rowKey={(e) => e.experimentId}
      rowHref={(e) => `/experiments/${encodeURIComponent(e.experimentId)}`}
      columns={[
        { key: "name", header: "Name", cell: (e) => e.name, isRowHeader: true, canWrap: true },
        {
          key: "id",
          header: "ID",
          cell: (e) => <span className="font-mono text-xs">{e.experimentId}</span>,
          hideBelow: "sm",
        },
        { key: "team", header: "Team", cell: (e) => e.tags.team ?? "—", hideBelow: "md" },
        {
          key: "updated",
          header: "Last updated",
          cell: (e) => (e.lastUpdateTime ? <DateTime value={e.lastUpdateTime} /> : "—"),
        },
      ]}
      empty="No experiments match."
    />
  );
}
