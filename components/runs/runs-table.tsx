"use client";

import { useQuery } from "@tanstack/react-query";
import { DataTable, type DataTableColumn } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDuration } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { describeStatus } from "@/components/ui/status";
import type { RunListItem } from "@/lib/dal/runs";
import { livePollMs, progressText, runDurationMs } from "./run-format";

interface RunsPage {
  runs: RunListItem[];
  nextAfter: string | null;
}

const columns: DataTableColumn<RunListItem>[] = [
  {
    key: "run",
    header: "Run",
    isRowHeader: true,
    cell: (run) => <span className="font-medium">{run.runName}</span>,
  },
  {
    key: "status",
    header: "Status",
    cell: (run) => <StatusBadge domain="run" status={run.status} size="sm" />,
  },
  {
    key: "progress",
    header: "Progress",
    cell: (run) => <span className="tabular-nums">{progressText(run)}</span>,
  },
  {
    key: "duration",
    header: "Duration",
    value: (run) => runDurationMs(run),
    format: formatDuration,
    hideBelow: "md",
  },
  { key: "experiment", header: "Experiment", cell: (run) => run.experimentName, hideBelow: "lg" },
  {
    key: "dataset",
    header: "Dataset",
    cell: (run) => <span className="font-mono text-xs">{run.datasetFullName}</span>,
    hideBelow: "lg",
  },
  { key: "launchedBy", header: "Launched by", cell: (run) => run.launchedByName, hideBelow: "md" },
  { key: "created", header: "Launched", cell: (run) => <RelativeTime date={run.createdAt} /> },
];

/** The runs list; refreshes itself while any listed run is still moving, and stops when all have ended. */
export function RunsTable({
  initial,
  queryString,
  caption = "Training runs, newest first",
  emptyTitle = "No training runs yet",
  emptyText = "Runs launched from Switchboard appear here with their live status.",
  isOwnRuns = false,
}: {
  initial: RunsPage;
  queryString: string;
  caption?: string;
  emptyTitle?: string;
  emptyText?: string;
  /** Only the viewer's runs: the launcher column would repeat their name on every row. */
  isOwnRuns?: boolean;
}) {
  const { data } = useQuery({
    queryKey: ["runs", queryString],
    queryFn: async (): Promise<RunsPage> => {
      const response = await fetch(`/api/runs?${queryString}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`runs list: ${response.status}`);
      return response.json();
    },
    initialData: initial,
    refetchInterval: (query) =>
      query.state.data?.runs.some((run) => describeStatus("run", run.status).isActive) ? livePollMs : false,
  });
  return (
    <DataTable
      caption={caption}
      columns={isOwnRuns ? columns.filter((column) => column.key !== "launchedBy") : columns}
      rows={data.runs}
      rowKey={(run) => run.id}
      rowHref={(run) => `/runs/${run.id}`}
      empty={<EmptyState size="compact" title={emptyTitle} description={emptyText} />}
    />
  );
}
