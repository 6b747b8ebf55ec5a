import { GitCompare } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DataTable, type DataTableColumn, type SortState } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date-time";
import { formatNumber } from "@/components/ui/format";
import type { RunRow } from "@/lib/dal/experiments";
import { MlflowStatusBadge } from "./mlflow-status";

export interface ExperimentRunsTableProps {
  runs: RunRow[];
  paramColumns: string[];
  metricColumns: string[];
  sort?: SortState;
  /** `${key}|${direction}` → URL, built by the page that owns the query string. */
  sortHrefs: Record<string, string>;
}

const compareFormId = "compare-runs";

/** One page of runs; tick 2 to 100 and compare them (a GET form to /experiments/compare). */
export function ExperimentRunsTable({
  runs,
  paramColumns,
  metricColumns,
  sort,
  sortHrefs,
}: ExperimentRunsTableProps) {
  // The run's name first (it stays put while the table scrolls sideways), then metrics before params.
  const columns: DataTableColumn<RunRow>[] = [
    {
      key: "run_name",
      header: "Run",
      isRowHeader: true,
      isSortable: true,
      cell: (run) => <span title={run.runId}>{run.runName || run.runId.slice(0, 8)}</span>,
    },
    {
      key: "select",
      header: <span className="sr-only">Select for comparison</span>,
      isInteractive: true,
      className: "w-8",
      cell: (run) => (
        <input
          type="checkbox"
          form={compareFormId}
          name="runs"
          value={run.runId}
          aria-label={`Select ${run.runName || run.runId} for comparison`}
        />
      ),
    },
    {
      key: "status",
      header: "Status",
      isSortable: true,
      cell: (run) => <MlflowStatusBadge status={run.status} />,
    },
    ...metricColumns.map((key): DataTableColumn<RunRow> => ({
      key: `metrics.${key}`,
      header: <span className="font-mono text-xs">{key}</span>,
      isSortable: true,
      firstSortDirection: "desc",
      value: (run) => run.metrics[key],
      format: (value) => formatNumber(value, 4),
    })),
    ...paramColumns.map((key): DataTableColumn<RunRow> => ({
      key: `params.${key}`,
      header: <span className="font-mono text-xs">{key}</span>,
      isSortable: true,
      cell: (run) => run.params[key] ?? "—",
    })),
    {
      key: "start_time",
      header: "Started",
      isSortable: true,
      firstSortDirection: "desc",
      hideBelow: "md",
      cell: (run) => (run.startTime ? <DateTime value={run.startTime} /> : "—"),
    },
    { key: "user", header: "User", hideBelow: "lg", cell: (run) => run.user || "—" },
  ];
  return (
    <form id={compareFormId} action="/experiments/compare" aria-label="Compare runs">
      <div className="flex items-center justify-end gap-2 px-4 py-2">
        <Button type="submit" size="sm" icon={<GitCompare aria-hidden="true" className="size-4" />}>
          Compare selected runs
        </Button>
      </div>
      <DataTable
        caption="Runs of this experiment"
        columns={columns}
        rows={runs}
        rowKey={(run) => run.runId}
        sort={sort}
        sortHref={(key, direction) => sortHrefs[`${key}|${direction}`] ?? "#"}
        density="compact"
        isWide
        empty="No runs match this filter."
      />
    </form>
  );
}
