import { performance } from "node:perf_hooks";
import { downsampleSeries, mergeDownsampled, type MetricSeries } from "@/lib/domain/downsample/downsample";

/**
 * 100 runs × 20 metrics × 10,000 steps, each downsampled to 320 points.
 * Run: npx tsx bench/downsample.bench.ts
 * Also times the incremental path: extending every cached series by 100 new steps.
 */

const RUNS = 100;
const METRICS = 20;
const STEPS = 10_000;
const TARGET = 320;
const APPENDED_STEPS = 100;

function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function metricHistory(seed: number, firstStep: number, count: number): MetricSeries {
  const random = createRandom(seed);
  const steps = new Float64Array(count);
  const timestamps = new Float64Array(count);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const step = firstStep + i;
    steps[i] = step;
    timestamps[i] = 1_764_000_000_000 + step * 750;
    values[i] = random() < 0.001 ? Number.NaN : Math.exp(-step / 2500) + random() * 0.05;
  }
  return { steps, timestamps, values };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function describe(label: string, timings: number[], series: number): string {
  const sorted = [...timings].sort((a, b) => a - b);
  const total = timings.reduce((a, b) => a + b, 0);
  return (
    `${label}: ${series} series in ${total.toFixed(0)} ms total — per run of ${METRICS} metrics median ` +
    `${percentile(sorted, 0.5).toFixed(2)} ms, p95 ${percentile(sorted, 0.95).toFixed(2)} ms; ${((total * 1000) / series).toFixed(0)} µs per series`
  );
}

const histories = Array.from({ length: RUNS }, (_, run) =>
  Array.from({ length: METRICS }, (_, metric) => metricHistory(run * METRICS + metric, 0, STEPS)),
);
const appended = Array.from({ length: RUNS }, (_, run) =>
  Array.from({ length: METRICS }, (_, metric) =>
    metricHistory(run * METRICS + metric + 7, STEPS, APPENDED_STEPS),
  ),
);

for (const method of ["m4", "lttb"] as const) {
  downsampleSeries(histories[0][0], TARGET, { method });
  const timings: number[] = [];
  let points = 0;
  for (const run of histories) {
    const start = performance.now();
    for (const metric of run) points += downsampleSeries(metric, TARGET, { method }).values.length;
    timings.push(performance.now() - start);
  }
  console.log(
    describe(`${method} ${STEPS} → ${TARGET}`, timings, RUNS * METRICS) +
      ` (avg ${(points / (RUNS * METRICS)).toFixed(0)} points kept)`,
  );
}

const cached = histories.map((run) => run.map((metric) => downsampleSeries(metric, TARGET)));
const mergeTimings: number[] = [];
cached.forEach((run, r) => {
  const start = performance.now();
  run.forEach((series, m) => mergeDownsampled(series, appended[r][m], TARGET));
  mergeTimings.push(performance.now() - start);
});
console.log(describe(`merge +${APPENDED_STEPS} steps into cached ${TARGET}`, mergeTimings, RUNS * METRICS));
