"use client";

import { useState } from "react";
import type { ComparedRun } from "@/lib/dal/experiments";
import { diffParams } from "@/lib/domain/metrics/comparison";

/** Params across, runs down would not fit 100 runs: params are rows, runs columns; differing rows first and highlighted. */
export function ParamDiffTable({ runs }: { runs: ComparedRun[] }) {
  const [isOnlyDifferent, setOnlyDifferent] = useState(false);
  const rows = diffParams(runs.map((run) => run.params));
  const shown = isOnlyDifferent ? rows.filter((row) => row.isDifferent) : rows;
  const differing = rows.filter((row) => row.isDifferent).length;
  return (
    <div>
      <div className="flex items-center justify-between px-4 py-2 text-sm">
        <p>
          {differing} of {rows.length} parameters differ.
        </p>
        <label className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={isOnlyDifferent}
            onChange={(e) => setOnlyDifferent(e.target.checked)}
          />
          Only differing
        </label>
      </div>
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Parameters by run">
        <table className="w-full text-sm">
          <caption className="sr-only">
            Parameter values per run; rows marked “differs” have different values across the runs that set
            them; “not set” means the run did not log it.
          </caption>
          <thead>
            <tr className="border-b border-line text-left">
              <th scope="col" className="sticky left-0 bg-surface px-3 py-2">
                Parameter
              </th>
              {runs.map((run) => (
                <th key={run.runId} scope="col" className="px-3 py-2 whitespace-nowrap">
                  {run.runName}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr
                key={row.key}
                className={`border-b border-line last:border-0 ${row.isDifferent ? "bg-warning-soft" : ""}`}
              >
                <th
                  scope="row"
                  className={`sticky left-0 px-3 py-1.5 text-left font-mono text-xs font-medium ${row.isDifferent ? "bg-warning-soft" : "bg-surface"}`}
                >
                  {row.key}
                  {row.isDifferent && (
                    <span className="ml-2 rounded border border-warning px-1 font-sans text-[10px] uppercase">
                      differs
                    </span>
                  )}
                </th>
                {row.values.map((value, i) => (
                  <td key={runs[i].runId} className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">
                    {value ?? <span className="font-sans text-fg-muted italic">not set</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
