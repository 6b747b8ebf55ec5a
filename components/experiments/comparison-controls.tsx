"use client";

import type { ReactNode } from "react";
import type { CompareOptions } from "./compare-url";

export interface ComparisonControlsProps {
  options: CompareOptions;
  metricKeys: string[];
  shownMetrics: string[];
  onChange: (changes: Partial<CompareOptions>) => void;
  share: ReactNode;
}

/** x axis, log scale, smoothing and which metrics to chart; every change lands in the URL. */
export function ComparisonControls({
  options,
  metricKeys,
  shownMetrics,
  onChange,
  share,
}: ComparisonControlsProps) {
  const toggleMetric = (key: string, isOn: boolean) => {
    const next = isOn ? [...shownMetrics, key] : shownMetrics.filter((k) => k !== key);
    onChange({ metrics: metricKeys.filter((k) => next.includes(k)) });
  };
  return (
    <div
      className="flex flex-wrap items-end gap-6 rounded-md border border-line p-4"
      role="group"
      aria-label="Chart options"
    >
      <fieldset className="flex items-center gap-3">
        <legend className="mb-1 text-xs font-medium text-fg-muted">X axis</legend>
        {(["step", "time"] as const).map((x) => (
          <label key={x} className="flex items-center gap-1.5 text-sm">
            <input
              type="radio"
              name="x-axis"
              value={x}
              checked={options.x === x}
              onChange={() => onChange({ x })}
            />
            {x === "step" ? "Step" : "Wall time"}
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-1.5 text-sm">
        <input
          type="checkbox"
          checked={options.isLog}
          onChange={(e) => onChange({ isLog: e.target.checked })}
        />
        Log scale
      </label>
      <label className="flex items-center gap-2 text-sm">
        Smoothing
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={options.smoothing}
          onChange={(e) => onChange({ smoothing: Number(e.target.value) })}
          aria-valuetext={options.smoothing ? `${options.smoothing}` : "off"}
        />
        <output className="w-8 tabular-nums">{options.smoothing.toFixed(2)}</output>
      </label>
      <details className="relative">
        <summary className="cursor-pointer text-sm">
          Metrics ({shownMetrics.length} of {metricKeys.length})
        </summary>
        <fieldset className="absolute z-20 mt-2 max-h-72 w-72 space-y-1 overflow-y-auto rounded-md border border-line bg-surface p-3 shadow-lg">
          <legend className="sr-only">Metrics to chart</legend>
          {metricKeys.map((key) => (
            <label key={key} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={shownMetrics.includes(key)}
                onChange={(e) => toggleMetric(key, e.target.checked)}
              />
              <span className="font-mono text-xs">{key}</span>
            </label>
          ))}
        </fieldset>
      </details>
      <div className="ml-auto">{share}</div>
    </div>
  );
}
