"use client";

import { useId } from "react";
import { Card } from "@/components/ui/card";
import { formatNumber } from "@/components/ui/format";
import type { ComparedRun, MetricSummary } from "@/lib/dal/experiments";
import { buildParallelAxes, diffParams, isLowerBetter } from "@/lib/domain/metrics/comparison";

export interface ParallelCoordinatesProps {
  runs: ComparedRun[];
  stats: Record<string, Record<string, MetricSummary>>;
  metrics: string[];
  colorBy?: string;
  onColorByChange: (metric: string) => void;
}

const maxParamAxes = 8;
const width = 880;
const height = 300;
const margin = { top: 28, right: 24, bottom: 58, left: 24 };
/** Below each axis: where a run that did not log the parameter (or metric) is drawn, labelled "not set". */
const missingOffset = 18;

/** Better runs are drawn darker, thicker and on top; the best is also named in the text alternative. */
function strokeFor(goodness: number | null): { stroke: string; width: number; opacity: number } {
  if (goodness === null) return { stroke: "var(--sb-chart-reference)", width: 1, opacity: 0.35 };
  const hue = 30 + goodness * 180;
  return { stroke: `hsl(${hue} 70% 42%)`, width: 1 + goodness * 2, opacity: 0.45 + goodness * 0.5 };
}

/**
 * Parameters against a metric: one vertical axis per (differing) parameter and a last axis for the
 * metric's final value, one polyline per run. Recharts has no such chart, so this is plain SVG.
 */
export function ParallelCoordinates({
  runs,
  stats,
  metrics,
  colorBy,
  onColorByChange,
}: ParallelCoordinatesProps) {
  const titleId = useId();
  const descriptionId = useId();
  const metric = colorBy && metrics.includes(colorBy) ? colorBy : metrics[0];
  if (!metric) return null;
  // Axes over the union of every run's parameters: those that differ, then those some runs lack.
  const diff = diffParams(runs.map((r) => r.params));
  const informative = diff.filter((row) => row.isDifferent || row.missing > 0);
  const paramKeys = (informative.length ? informative : diff).slice(0, maxParamAxes).map((row) => row.key);
  const values = runs.map((run) => stats[run.runId]?.[metric]?.last ?? null);
  const axes = buildParallelAxes(
    paramKeys,
    runs.map((r) => r.params),
    { key: metric, values },
  );
  const metricAxis = axes.at(-1)!;
  const lower = isLowerBetter(metric);
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const xOf = (index: number) =>
    margin.left + (axes.length === 1 ? plotWidth / 2 : (index / (axes.length - 1)) * plotWidth);
  const yOf = (position: number | null) =>
    position === null ? margin.top + plotHeight + missingOffset : margin.top + (1 - position) * plotHeight;
  const goodnessOf = (runIndex: number) => {
    const position = metricAxis.positions[runIndex];
    return position === null ? null : lower ? 1 - position : position;
  };
  const order = runs.map((_, i) => i).sort((a, b) => (goodnessOf(a) ?? -1) - (goodnessOf(b) ?? -1));
  const bestIndex = order.at(-1);
  const best = bestIndex !== undefined && goodnessOf(bestIndex) !== null ? runs[bestIndex] : null;
  const summary =
    `${runs.length} runs over ${paramKeys.length} parameters (${paramKeys.join(", ") || "none differ"}) against the final ${metric} ` +
    `(${lower ? "lower" : "higher"} is better, from ${formatNumber(metricAxis.min, 4)} to ${formatNumber(metricAxis.max, 4)}). ` +
    (best
      ? `Best: ${best.runName} with ${formatNumber(values[bestIndex!], 4)}${paramKeys.length ? `, ${paramKeys.map((k) => `${k} ${best.params[k] ?? "unset"}`).join(", ")}` : ""}.`
      : "No run has logged it yet.");

  return (
    <Card
      title="Parameters against a metric"
      description="Parallel coordinates over every parameter the runs set: each line is a run, the last axis the metric's final value; “not set” below an axis means the run did not log it. Better runs are darker and thicker."
      actions={
        <label className="flex items-center gap-2 text-sm">
          Metric
          <select
            value={metric}
            onChange={(e) => onColorByChange(e.target.value)}
            className="rounded-md border border-line bg-surface px-2 py-1 text-sm"
          >
            {metrics.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${descriptionId}`}
        className="h-auto w-full"
      >
        <title id={titleId}>{`Parallel coordinates of parameters against ${metric}`}</title>
        <desc id={descriptionId}>{summary}</desc>
        {order.map((runIndex) => {
          const points = axes.map((axis, axisIndex) => `${xOf(axisIndex)},${yOf(axis.positions[runIndex])}`);
          const style = strokeFor(goodnessOf(runIndex));
          return (
            <polyline
              key={runs[runIndex].runId}
              points={points.join(" ")}
              fill="none"
              stroke={style.stroke}
              strokeWidth={style.width}
              strokeOpacity={style.opacity}
            >
              <title>{`${runs[runIndex].runName}: ${metric} ${formatNumber(values[runIndex], 4)}`}</title>
            </polyline>
          );
        })}
        {axes.map((axis, index) => (
          <g key={axis.key} aria-hidden="true">
            <line
              x1={xOf(index)}
              x2={xOf(index)}
              y1={margin.top}
              y2={margin.top + plotHeight}
              stroke="currentColor"
              strokeOpacity={0.5}
            />
            <text x={xOf(index)} y={height - 6} textAnchor="middle" className="fill-current text-[11px]">
              {axis.key}
            </text>
            {axis.positions.some((position) => position === null) && (
              <text x={xOf(index) + 4} y={yOf(null) + 3} className="fill-current text-[10px] italic">
                not set
              </text>
            )}
            {axis.kind === "numeric" ? (
              <>
                <text x={xOf(index) + 4} y={margin.top - 6} className="fill-current text-[10px]">
                  {formatNumber(axis.max, 4)}
                </text>
                <text
                  x={xOf(index) + 4}
                  y={margin.top + plotHeight + 12}
                  className="fill-current text-[10px]"
                >
                  {formatNumber(axis.min, 4)}
                </text>
              </>
            ) : (
              // Many categories would overlap: label every k-th so at most 8 labels share an axis.
              axis.categories.map((category, i) =>
                i % Math.ceil(axis.categories.length / 8) !== 0 ? null : (
                  <text
                    key={category}
                    x={xOf(index) + 4}
                    y={yOf(axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1)) + 3}
                    className="fill-current text-[10px]"
                  >
                    {category}
                  </text>
                ),
              )
            )}
          </g>
        ))}
      </svg>
      <p className="mt-2 text-xs text-fg-muted">{summary}</p>
    </Card>
  );
}
