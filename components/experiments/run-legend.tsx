"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { seriesStyle } from "@/components/charts/palette";
import { cx } from "@/components/ui/cx";

export interface RunLegendEntry {
  runId: string;
  label: string;
}

/**
 * One legend for every metric chart of a comparison: a run keeps its colour and dash in all of them,
 * and choosing it picks its line out everywhere (the others fade). A toolbar with one tab stop: arrow
 * keys, Home and End move between runs, Enter or Space picks one, Escape clears
 * (https://www.w3.org/WAI/ARIA/apg/patterns/toolbar/).
 */
export function RunLegend({
  runs,
  highlightedId,
  onHighlight,
}: {
  runs: RunLegendEntry[];
  highlightedId: string | null;
  onHighlight: (runId: string | null) => void;
}) {
  const [focusIndex, setFocusIndex] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const activeIndex = Math.min(focusIndex, runs.length - 1);

  const move = (to: number) => {
    const index = (to + runs.length) % runs.length;
    setFocusIndex(index);
    buttons.current[index]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => move(activeIndex + 1),
      ArrowDown: () => move(activeIndex + 1),
      ArrowLeft: () => move(activeIndex - 1),
      ArrowUp: () => move(activeIndex - 1),
      Home: () => move(0),
      End: () => move(runs.length - 1),
      Escape: () => onHighlight(null),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  return (
    <div className="space-y-1.5">
      <p id="run-legend-hint" className="text-xs text-fg-muted">
        Each run keeps its colour and line style in every chart. Choose a run to pick out its line; arrow keys
        move between runs, Escape clears.
      </p>
      <div
        role="toolbar"
        aria-label="Runs in the charts"
        aria-describedby="run-legend-hint"
        className="flex max-h-40 flex-wrap gap-1 overflow-y-auto"
        onKeyDown={onKeyDown}
      >
        {runs.map((run, index) => {
          const style = seriesStyle(index);
          const isPressed = run.runId === highlightedId;
          return (
            <button
              key={run.runId}
              ref={(element) => {
                buttons.current[index] = element;
              }}
              type="button"
              tabIndex={index === activeIndex ? 0 : -1}
              aria-pressed={isPressed}
              onFocus={() => setFocusIndex(index)}
              onClick={() => onHighlight(isPressed ? null : run.runId)}
              className={cx(
                "flex min-w-0 items-center gap-1.5 rounded border px-1.5 py-0.5 text-xs",
                isPressed
                  ? "border-fg bg-surface-muted text-fg"
                  : "border-transparent text-fg-muted hover:border-line",
              )}
            >
              <svg viewBox="0 0 20 10" className="h-2.5 w-5 shrink-0" aria-hidden="true">
                <line
                  x1="1"
                  y1="5"
                  x2="19"
                  y2="5"
                  stroke={style.color}
                  strokeWidth="2.5"
                  strokeDasharray={style.dash}
                />
              </svg>
              <span className="max-w-48 truncate">{run.label}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
