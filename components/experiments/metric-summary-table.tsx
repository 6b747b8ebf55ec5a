import { formatNumber } from "@/components/ui/format";
import type { ComparedRun, MetricSummary } from "@/lib/dal/experiments";
import { summarizeMetrics } from "@/lib/domain/metrics/comparison";

const format = (value: number | null) => (value === null ? "—" : formatNumber(value, 4));

/** Runs down, metrics across: final value and best value (min or max by the metric's direction). */
export function MetricSummaryTable({
  runs,
  metrics,
  stats,
}: {
  runs: ComparedRun[];
  metrics: string[];
  stats: Record<string, Record<string, MetricSummary>>;
}) {
  const columns = summarizeMetrics(
    metrics,
    runs.map((run) => stats[run.runId] ?? {}),
  );
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Final and best values">
      <table className="w-full text-sm">
        <caption className="sr-only">
          Final and best value of each metric per run; the best run per metric is marked “best”.
        </caption>
        <thead>
          <tr className="border-b border-line text-left">
            <th scope="col" className="px-3 py-2">
              Run
            </th>
            {columns.map((column) => (
              <th key={column.key} scope="col" className="px-3 py-2 text-right font-mono text-xs">
                {column.key}
                <span className="block font-sans font-normal text-fg-muted">
                  {column.isLowerBetter ? "final · min" : "final · max"}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run, runIndex) => (
            <tr key={run.runId} className="border-b border-line last:border-0">
              <th scope="row" className="px-3 py-1.5 text-left font-medium">
                {run.runName}
              </th>
              {columns.map((column) => {
                const cell = column.cells[runIndex];
                const isBest = column.bestRunIndex === runIndex;
                return (
                  <td
                    key={column.key}
                    className={`px-3 py-1.5 text-right tabular-nums ${isBest ? "bg-success-soft font-semibold" : ""}`}
                  >
                    {format(cell.final)} · {format(cell.best)}
                    {/* Tone colours, not white on mid-green (3.3:1), so the label passes contrast in both themes. */}
                    {isBest && (
                      <span className="ml-1 rounded border border-success-line bg-surface px-1 text-xs text-success">
                        best
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
