import { matches, type Expr, type Matcher } from "./promql";
import { RevisionSamples, TierSamples, type SampledSeries, type SampleAt } from "./series-store";

/**
 * Evaluates a parsed query at all of a range query's steps at once (series-major: one tight loop
 * per series instead of objects per step, so a week at 60 s resolution stays cheap), over the
 * samples /metrics publishes (TierSamples), with Prometheus 2.x's semantics for the supported
 * subset: the 5 minute lookback, rate()/increase() extrapolation, histogram_quantile()'s
 * interpolation, aggregation labels, one-to-one matching.
 */

export type Labels = Record<string, string>;

export interface SeriesRef {
  /** Includes __name__. */
  labels: Labels;
  revision: SampledSeries;
  field: number;
}

export interface SeriesSource {
  refs(): SeriesRef[];
  /** Data exists up to this unix time (seconds). */
  generatedUntil: number;
}

/** One output series: a value per step, and whether it has a sample at that step. */
export interface Series {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
}

export type RangeValue =
  { type: "scalar"; values: Float64Array } | { type: "vector"; series: Iterable<Series> };

/** Raised for errors Prometheus reports as errorType "execution" (HTTP 422). */
export class ExecutionError extends Error {}

/** Prometheus' default lookback for an instant selector. */
const lookbackSeconds = 300;

const withoutName = (labels: Labels): Labels => {
  if (!("__name__" in labels)) return labels;
  const { __name__: _name, ...rest } = labels;
  return rest;
};

export const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join("\u0001");

export class Evaluator {
  private readonly samples = new Map<SampledSeries, RevisionSamples>();
  private readonly steps: number;

  constructor(
    private readonly source: SeriesSource,
    private readonly times: Float64Array,
  ) {
    this.steps = times.length;
  }

  evaluate(expr: Expr): RangeValue {
    switch (expr.kind) {
      case "number":
        return { type: "scalar", values: new Float64Array(this.steps).fill(expr.value) };
      case "selector":
        return { type: "vector", series: this.instantSelector(expr) };
      case "negate": {
        const value = this.evaluate(expr.expr);
        if (value.type === "scalar") return { type: "scalar", values: value.values.map((v) => -v) };
        return { type: "vector", series: mapSeries(value.series, (v) => -v) };
      }
      case "call":
        return this.call(expr);
      case "aggregate":
        return { type: "vector", series: this.aggregate(expr, this.vector(expr.expr)) };
      case "binary":
        return this.binary(expr);
    }
  }

  private vector(expr: Expr): Iterable<Series> {
    const value = this.evaluate(expr);
    if (value.type !== "vector") throw new ExecutionError("expected an instant vector");
    return value.series;
  }

  private scalar(expr: Expr): Float64Array {
    const value = this.evaluate(expr);
    if (value.type !== "scalar") throw new ExecutionError("expected a scalar");
    return value.values;
  }

  private select(expr: Extract<Expr, { kind: "selector" }>): SeriesRef[] {
    const matchers: Matcher[] = expr.name
      ? [{ name: "__name__", op: "=", value: expr.name }, ...expr.matchers]
      : expr.matchers;
    return this.source.refs().filter((ref) => matchers.every((m) => matches(m, ref.labels[m.name] ?? "")));
  }

  private samplesOf(revision: SampledSeries): RevisionSamples {
    let samples = this.samples.get(revision);
    if (!samples) {
      const { generatedUntil } = this.source;
      this.samples.set(
        revision,
        (samples = new RevisionSamples(
          new TierSamples(revision.fine, generatedUntil),
          new TierSamples(revision.coarse, generatedUntil),
        )),
      );
    }
    return samples;
  }

  /** The latest sample within the lookback [t - 5m, t], as Prometheus 2.x selects it. */
  private *instantSelector(expr: Extract<Expr, { kind: "selector" }>): Iterable<Series> {
    for (const ref of this.select(expr)) {
      const series = this.emptySeries(ref.labels);
      let any = false;
      this.times.forEach((t, i) => {
        const window = this.samplesOf(ref.revision).window(t - lookbackSeconds, t);
        if (!window) return;
        series.values[i] = window.last.samples.value(ref.field, window.last.j);
        series.present[i] = 1;
        any = true;
      });
      if (any) yield series;
    }
  }

  private emptySeries(labels: Labels): Series {
    return { labels, values: new Float64Array(this.steps), present: new Uint8Array(this.steps) };
  }

  /** rate()/increase() per series and step: Prometheus' extrapolatedRate over the window's samples (at least two). */
  private *rate(selector: Extract<Expr, { kind: "selector" }>, isRate: boolean): Iterable<Series> {
    const range = selector.rangeSeconds!;
    for (const ref of this.select(selector)) {
      const series = this.emptySeries(withoutName(ref.labels));
      let any = false;
      for (let i = 0; i < this.steps; i++) {
        const t = this.times[i];
        const window = this.samplesOf(ref.revision).window(t - range, t);
        if (!window || window.samples < 2) continue;
        const point = ({ samples, j }: SampleAt) => ({
          t: samples.time(j),
          value: samples.value(ref.field, j),
        });
        const [first, last] = [point(window.first), point(window.last)];
        series.values[i] = extrapolatedRate(first, last, window.samples, { end: t, seconds: range }, isRate);
        series.present[i] = 1;
        any = true;
      }
      if (any) yield series;
    }
  }

  private call(expr: Extract<Expr, { kind: "call" }>): RangeValue {
    switch (expr.func) {
      case "vector": {
        const series = this.emptySeries({});
        series.values.set(this.scalar(expr.args[0]));
        series.present.fill(1);
        return { type: "vector", series: [series] };
      }
      case "rate":
      case "increase":
        return {
          type: "vector",
          series: this.rate(expr.args[0] as Extract<Expr, { kind: "selector" }>, expr.func === "rate"),
        };
      case "histogram_quantile":
        return {
          type: "vector",
          series: this.histogramQuantile(this.scalar(expr.args[0]), this.vector(expr.args[1])),
        };
    }
  }

  private aggregate(expr: Extract<Expr, { kind: "aggregate" }>, input: Iterable<Series>): Series[] {
    const { op, grouping } = expr;
    const groups = new Map<string, Series & { counts: Float64Array }>();
    for (const series of input) {
      const labels: Labels = {};
      if (grouping.without) {
        for (const [k, v] of Object.entries(series.labels))
          if (k !== "__name__" && !grouping.labels.includes(k)) labels[k] = v;
      } else {
        for (const k of grouping.labels) if (series.labels[k]) labels[k] = series.labels[k];
      }
      const key = labelKey(labels);
      let group = groups.get(key);
      if (!group)
        groups.set(key, (group = { ...this.emptySeries(labels), counts: new Float64Array(this.steps) }));
      for (let i = 0; i < this.steps; i++) {
        if (!series.present[i]) continue;
        const v = series.values[i];
        const first = group.counts[i] === 0;
        group.counts[i]++;
        group.present[i] = 1;
        if (op === "sum" || op === "avg") group.values[i] += v;
        else if (op === "min")
          group.values[i] =
            first || v < group.values[i] || Number.isNaN(group.values[i]) ? v : group.values[i];
        else if (op === "max")
          group.values[i] =
            first || v > group.values[i] || Number.isNaN(group.values[i]) ? v : group.values[i];
      }
    }
    return [...groups.values()].map(({ labels, values, present, counts }) => {
      if (op === "avg")
        for (let i = 0; i < values.length; i++) values[i] = counts[i] ? values[i] / counts[i] : 0;
      if (op === "count") values.set(counts);
      return { labels, values, present };
    });
  }

  /** histogram_quantile(): per group of every label but `le`, Prometheus' bucketQuantile at each step. */
  private *histogramQuantile(q: Float64Array, input: Iterable<Series>): Iterable<Series> {
    const groups = new Map<
      string,
      { labels: Labels; buckets: Array<{ upperBound: number; series: Series }> }
    >();
    for (const series of input) {
      const le = series.labels.le;
      const upperBound = le === undefined ? NaN : le === "+Inf" ? Infinity : Number(le);
      if (Number.isNaN(upperBound)) continue;
      const labels: Labels = {};
      for (const [k, v] of Object.entries(series.labels)) if (k !== "le" && k !== "__name__") labels[k] = v;
      const key = labelKey(labels);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { labels, buckets: [] }));
      group.buckets.push({ upperBound, series });
    }
    for (const { labels, buckets } of groups.values()) {
      const output = this.emptySeries(labels);
      let any = false;
      const atStep: Array<{ upperBound: number; count: number }> = [];
      for (let i = 0; i < this.steps; i++) {
        atStep.length = 0;
        for (const bucket of buckets)
          if (bucket.series.present[i])
            atStep.push({ upperBound: bucket.upperBound, count: bucket.series.values[i] });
        if (!atStep.length) continue;
        output.values[i] = bucketQuantile(q[i], atStep);
        output.present[i] = 1;
        any = true;
      }
      if (any) yield output;
    }
  }

  private binary(expr: Extract<Expr, { kind: "binary" }>): RangeValue {
    const lhs = this.evaluate(expr.lhs);
    const rhs = this.evaluate(expr.rhs);
    const apply = arithmetic(expr.op);
    if (lhs.type === "scalar" && rhs.type === "scalar")
      return { type: "scalar", values: lhs.values.map((a, i) => apply(a, rhs.values[i])) };
    if (lhs.type === "scalar" && rhs.type === "vector")
      return { type: "vector", series: mapSeries(rhs.series, (v, i) => apply(lhs.values[i], v)) };
    if (lhs.type === "vector" && rhs.type === "scalar")
      return { type: "vector", series: mapSeries(lhs.series, (v, i) => apply(v, rhs.values[i])) };
    if (lhs.type !== "vector" || rhs.type !== "vector") throw new ExecutionError("unsupported operand types");

    const signature = (labels: Labels) => {
      const kept: Labels = {};
      for (const [k, v] of Object.entries(labels)) {
        if (k === "__name__") continue;
        if (expr.matching ? expr.matching.on === expr.matching.labels.includes(k) : true) kept[k] = v;
      }
      return kept;
    };
    const right = new Map<string, Series[]>();
    for (const series of rhs.series) {
      const key = labelKey(signature(series.labels));
      right.set(key, [...(right.get(key) ?? []), series]);
    }
    const outputs = new Map<string, Series>();
    for (const series of lhs.series) {
      const matchLabels = signature(series.labels);
      const candidates = right.get(labelKey(matchLabels));
      if (!candidates) continue;
      // The result keeps the matching labels: all but the name, or only on(...), or all but ignoring(...).
      const outKey = labelKey(matchLabels);
      let output = outputs.get(outKey);
      if (!output) outputs.set(outKey, (output = this.emptySeries(matchLabels)));
      for (let i = 0; i < this.steps; i++) {
        if (!series.present[i]) continue;
        const matched = candidates.filter((c) => c.present[i]);
        if (!matched.length) continue;
        if (matched.length > 1)
          throw new ExecutionError(
            `found duplicate series for the match group ${JSON.stringify(matchLabels)} on the right hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`,
          );
        if (output.present[i])
          throw new ExecutionError(
            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
          );
        output.values[i] = apply(series.values[i], matched[0].values[i]);
        output.present[i] = 1;
      }
    }
    return { type: "vector", series: [...outputs.values()].filter((s) => s.present.some((p) => p === 1)) };
  }
}

/** Arithmetic on a vector drops the metric name, as in Prometheus. */
function* mapSeries(input: Iterable<Series>, fn: (value: number, step: number) => number): Iterable<Series> {
  for (const series of input)
    yield {
      labels: withoutName(series.labels),
      values: series.values.map((v, i) => fn(v, i)),
      present: series.present,
    };
}

function arithmetic(op: string): (a: number, b: number) => number {
  switch (op) {
    case "+":
      return (a, b) => a + b;
    case "-":
      return (a, b) => a - b;
    case "*":
      return (a, b) => a * b;
    default:
      return (a, b) => a / b;
  }
}

/**
 * Prometheus 2.42's extrapolatedRate (promql/functions.go) for a counter without resets: the
 * increase between the first and last sample, extrapolated to the range's ends when a sample lies
 * within 1.1 average intervals of them (else by half an interval), never below the counter's zero.
 */
export function extrapolatedRate(
  first: { t: number; value: number },
  last: { t: number; value: number },
  samples: number,
  range: { end: number; seconds: number },
  isRate: boolean,
): number {
  const ms = (seconds: number) => Math.round(seconds * 1000);
  const increase = last.value - first.value;
  let durationToStart = (ms(first.t) - (ms(range.end) - ms(range.seconds))) / 1000;
  const durationToEnd = (ms(range.end) - ms(last.t)) / 1000;
  const sampledInterval = (ms(last.t) - ms(first.t)) / 1000;
  const averageInterval = sampledInterval / (samples - 1);
  if (increase > 0 && first.value >= 0)
    durationToStart = Math.min(durationToStart, sampledInterval * (first.value / increase));
  const threshold = averageInterval * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
  const result = increase * (extrapolateTo / sampledInterval);
  return isRate ? result / range.seconds : result;
}

/** Prometheus' bucketQuantile (promql/quantile.go). */
export function bucketQuantile(q: number, input: Array<{ upperBound: number; count: number }>): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (!buckets.length || buckets.at(-1)!.upperBound !== Infinity) return NaN;
  // Merge equal bounds and force monotonic counts, as Prometheus does for float imprecision.
  const merged: typeof buckets = [];
  for (const bucket of buckets) {
    const last = merged.at(-1);
    if (last && last.upperBound === bucket.upperBound) last.count += bucket.count;
    else merged.push({ ...bucket });
  }
  for (let i = 1; i < merged.length; i++)
    if (merged[i].count < merged[i - 1].count) merged[i].count = merged[i - 1].count;
  if (merged.length < 2) return NaN;
  const observations = merged.at(-1)!.count;
  if (observations === 0 || Number.isNaN(observations)) return NaN;
  let rank = q * observations;
  let b = merged.findIndex((bucket) => bucket.count >= rank);
  if (b < 0) b = merged.length - 1;
  if (b === merged.length - 1) return merged[merged.length - 2].upperBound;
  if (b === 0 && merged[0].upperBound <= 0) return merged[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = merged[b].upperBound;
  let count = merged[b].count;
  if (b > 0) {
    bucketStart = merged[b - 1].upperBound;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
