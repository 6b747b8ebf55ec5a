/**
 * Pure shaping for the run comparison page: smoothing and chart series, the parameter diff, the
 * summary of final and best values with the best run per metric, and parallel-coordinate axes.
 */
import type { DenseSeries } from "@/lib/domain/charts/series";

const lowerIsBetterPattern =
  /(loss|error|err$|rmse|mse|mae|mape|smape|perplexity|ppl|wer|cer|latency|duration|_time$|time_|regret|distance|divergence|kl$|fpr|fnr|miss_rate|false_)/i;
const higherIsBetterPattern =
  /(accuracy|acc$|auc|f1|precision|recall|r2|score|map@|ndcg|bleu|rouge|exact_match|iou|dice|reward|throughput|tpr|tnr|specificity)/i;

/** Whether a smaller value of this metric is better: losses and errors are, accuracies and scores are not. */
export function isLowerBetter(metricKey: string): boolean {
  const name = metricKey.split("/").at(-1) ?? metricKey;
  if (higherIsBetterPattern.test(name) && !/error|loss/i.test(name)) return false;
  return lowerIsBetterPattern.test(name);
}

/**
 * TensorBoard's (and MLflow UI's) debiased exponential moving average: weight 0 leaves the line as
 * it is, 0.99 smooths heavily; the debiasing keeps the first points from being dragged to 0.
 * Non-finite values pass through and do not disturb the average.
 */
export function smoothEma(values: ArrayLike<number>, weight: number): Float64Array {
  const smoothed = Float64Array.from(values);
  if (!(weight > 0)) return smoothed;
  const clamped = Math.min(weight, 0.999);
  let average = 0;
  let count = 0;
  for (let i = 0; i < smoothed.length; i++) {
    const value = smoothed[i];
    if (!Number.isFinite(value)) continue;
    average = average * clamped + (1 - clamped) * value;
    count++;
    smoothed[i] = average / (1 - clamped ** count);
  }
  return smoothed;
}

export type XAxisKind = "step" | "time";

export interface RunSeriesPoints {
  runId: string;
  label: string;
  steps: Float64Array;
  timestamps: Float64Array | null;
  values: Float64Array;
}

/** Chart series for one metric: x by step or wall time, smoothed, non-finite values as gaps (NaN). */
export function prepareMetricSeries(
  lines: RunSeriesPoints[],
  options: { x: XAxisKind; smoothing: number },
): DenseSeries[] {
  return lines.map((line) => {
    const y = smoothEma(line.values, options.smoothing);
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) y[i] = NaN;
    return {
      id: line.runId,
      label: line.label,
      x: options.x === "time" && line.timestamps ? line.timestamps : line.steps,
      y,
    };
  });
}

export interface ParamDiffRow {
  key: string;
  values: Array<string | null>;
  /** Two runs that set it set it differently (a run that did not set it is not a difference). */
  isDifferent: boolean;
  /** How many runs did not log it. */
  missing: number;
}

/** One row per param key across the runs; differing rows first, each group by key. */
export function diffParams(paramsPerRun: Array<Record<string, string>>): ParamDiffRow[] {
  const keys = [...new Set(paramsPerRun.flatMap((params) => Object.keys(params)))].sort();
  const rows = keys.map((key) => {
    const values = paramsPerRun.map((params) => params[key] ?? null);
    // A parameter one run did not log is "not set" there, not a different value.
    const present = values.filter((value) => value !== null);
    return { key, values, isDifferent: new Set(present).size > 1, missing: values.length - present.length };
  });
  return [...rows.filter((row) => row.isDifferent), ...rows.filter((row) => !row.isDifferent)];
}

export interface MetricStats {
  last: number | null;
  min: number | null;
  max: number | null;
}

export interface SummaryColumn {
  key: string;
  isLowerBetter: boolean;
  /** Per run: the final value and the best one (min or max by direction); null when not logged. */
  cells: Array<{ final: number | null; best: number | null }>;
  /** Index of the run whose best value wins, null when no run has one. */
  bestRunIndex: number | null;
}

/** Final and best value of each metric per run, marking the best run per metric. */
export function summarizeMetrics(
  metricKeys: string[],
  statsPerRun: Array<Record<string, MetricStats | undefined>>,
): SummaryColumn[] {
  return metricKeys.map((key) => {
    const lower = isLowerBetter(key);
    const cells = statsPerRun.map((stats) => {
      const entry = stats[key];
      return { final: entry?.last ?? null, best: (lower ? entry?.min : entry?.max) ?? null };
    });
    let bestRunIndex: number | null = null;
    cells.forEach((cell, index) => {
      if (cell.best === null || Number.isNaN(cell.best)) return;
      const current = bestRunIndex === null ? null : cells[bestRunIndex].best!;
      if (current === null || (lower ? cell.best < current : cell.best > current)) bestRunIndex = index;
    });
    return { key, isLowerBetter: lower, cells, bestRunIndex };
  });
}

export interface ParallelAxis {
  key: string;
  kind: "numeric" | "categorical";
  /** Numeric axes: the value range; categorical: the distinct values in order. */
  min: number;
  max: number;
  categories: string[];
  /** Per run, the position on the axis in [0, 1] (0 = bottom), null when the run has no value. */
  positions: Array<number | null>;
}

/** Axes for a parallel-coordinates plot: each param (numeric when every value parses), then the metric. */
export function buildParallelAxes(
  paramKeys: string[],
  paramsPerRun: Array<Record<string, string>>,
  metric: { key: string; values: Array<number | null> },
): ParallelAxis[] {
  const paramAxes = paramKeys.map((key) =>
    axisFor(
      key,
      paramsPerRun.map((params) => params[key] ?? null),
    ),
  );
  return [...paramAxes, numericAxis(metric.key, metric.values)];
}

function axisFor(key: string, raw: Array<string | null>): ParallelAxis {
  const present = raw.filter((value): value is string => value !== null);
  const isNumeric =
    present.length > 0 && present.every((value) => value.trim() !== "" && Number.isFinite(Number(value)));
  if (isNumeric)
    return numericAxis(
      key,
      raw.map((value) => (value === null ? null : Number(value))),
    );
  const categories = [...new Set(present)].sort();
  const denominator = Math.max(categories.length - 1, 1);
  return {
    key,
    kind: "categorical",
    min: 0,
    max: categories.length - 1,
    categories,
    positions: raw.map((value) =>
      value === null ? null : categories.length === 1 ? 0.5 : categories.indexOf(value) / denominator,
    ),
  };
}

function numericAxis(key: string, values: Array<number | null>): ParallelAxis {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 0;
  return {
    key,
    kind: "numeric",
    min,
    max,
    categories: [],
    positions: values.map((value) =>
      value === null || !Number.isFinite(value) ? null : max === min ? 0.5 : (value - min) / (max - min),
    ),
  };
}
