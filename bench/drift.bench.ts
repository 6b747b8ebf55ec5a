import { performance } from "node:perf_hooks";
import {
  aggregatePayload,
  compileAggregationPlan,
  createWindowAccumulator,
  drainFeatureWindows,
} from "@/lib/domain/drift/aggregate";
import {
  buildReferenceBins,
  buildReferenceCategories,
  categoricalHistogram,
  histogram,
  type FeatureDefinition,
} from "@/lib/domain/drift/bins";
import { detectDrift, driftInputFromDefinition } from "@/lib/domain/drift/detect";
import { createRandom } from "@/lib/testing/random";

/**
 * Drift for 50 features over 288 five-minute windows (one day) from stored histograms of ~20 bins.
 * Run: npx tsx bench/drift.bench.ts. Budget: < 200 ms per full pass on the 2-core machine.
 * Also measures ingest aggregation (target 10,000 events/s): one-row payloads of 50 features.
 * Two monitors: a large reference (Evidently picks normed Wasserstein / Jensen–Shannon) and a
 * reference of 1000 rows (KS with exact p-values / chi-square).
 */

const FEATURES = 50;
const WINDOWS = 288;
const ROWS_PER_WINDOW = 300;
const RUNS = 30;

function buildScenario(referenceRows: number, seed: number) {
  const { uniform: random, normal } = createRandom(seed);
  const definitions: FeatureDefinition[] = [];
  const windows: number[][][] = [];
  for (let f = 0; f < FEATURES; f++) {
    const isCategorical = f % 5 === 4;
    if (isCategorical) {
      const categories = ["a", "b", "c", "d", "e", "f", "g", "h"];
      const pick = (skew: number) =>
        categories[Math.min(categories.length - 1, Math.floor(random() ** (1 + skew) * categories.length))];
      const reference = buildReferenceCategories(Array.from({ length: referenceRows }, () => pick(0)));
      definitions.push({
        name: `f${f}`,
        kind: "categorical",
        categories: reference.categories,
        reference: reference.counts,
      });
      windows.push(
        Array.from({ length: WINDOWS }, (_, w) =>
          categoricalHistogram(
            Array.from({ length: ROWS_PER_WINDOW }, () => pick(w / WINDOWS)),
            reference.categories,
          ),
        ),
      );
    } else {
      const bins = buildReferenceBins(
        Array.from({ length: referenceRows }, () => normal()),
        { bins: 20 },
      );
      definitions.push({
        name: `f${f}`,
        kind: "numeric",
        edges: bins.edges,
        reference: bins.counts,
        referenceStd: bins.std,
      });
      // Drift grows through the day for every other feature.
      const shift = (w: number) => (f % 2 === 0 ? (0.5 * w) / WINDOWS : 0);
      windows.push(
        Array.from({ length: WINDOWS }, (_, w) =>
          histogram(
            Array.from({ length: ROWS_PER_WINDOW }, () => normal() + shift(w)),
            bins.edges,
          ),
        ),
      );
    }
  }
  return { definitions, windows };
}

function runPass(scenario: ReturnType<typeof buildScenario>): {
  driftedWindows: number;
  methods: Set<string>;
} {
  let driftedWindows = 0;
  const methods = new Set<string>();
  for (let w = 0; w < WINDOWS; w++) {
    const result = detectDrift({
      features: scenario.definitions.map((definition, f) =>
        driftInputFromDefinition(definition, scenario.windows[f][w]),
      ),
    });
    if (result.isDrifted) driftedWindows++;
    for (const feature of result.features) methods.add(feature.method);
  }
  return { driftedWindows, methods };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

for (const [label, referenceRows] of [
  ["reference 5000 rows", 5000],
  ["reference 1000 rows", 1000],
] as const) {
  const scenario = buildScenario(referenceRows, 42);
  const warm = runPass(scenario);
  const timings: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    runPass(scenario);
    timings.push(performance.now() - start);
  }
  timings.sort((a, b) => a - b);
  console.log(
    `${label}: ${FEATURES} features × ${WINDOWS} windows (${ROWS_PER_WINDOW} rows/window), methods ${[...warm.methods].join("/")}, ` +
      `${warm.driftedWindows} drifted windows — median ${percentile(timings, 0.5).toFixed(1)} ms, p95 ${percentile(timings, 0.95).toFixed(1)} ms over ${RUNS} runs`,
  );
}

{
  const scenario = buildScenario(5000, 7);
  const plan = compileAggregationPlan(scenario.definitions, { windowMinutes: 5 });
  const { uniform: random, normal } = createRandom(99);
  const letters = ["a", "b", "c", "d", "e", "f", "g", "h", "unseen"];
  const payloads = Array.from({ length: 10_000 }, () => ({
    instances: [
      Object.fromEntries(
        scenario.definitions.map((definition) => [
          definition.name,
          definition.kind === "numeric" ? normal() : letters[Math.floor(random() * letters.length)],
        ]),
      ),
    ],
  }));
  const timings: number[] = [];
  for (let run = 0; run < 10; run++) {
    const accumulator = createWindowAccumulator();
    const start = performance.now();
    payloads.forEach((payload, i) =>
      aggregatePayload(plan, accumulator, payload, 1_764_000_000_000 + i * 30),
    );
    drainFeatureWindows(plan, accumulator);
    timings.push(performance.now() - start);
  }
  timings.sort((a, b) => a - b);
  const median = percentile(timings, 0.5);
  console.log(
    `aggregate: 10,000 one-row payloads × ${FEATURES} features — median ${median.toFixed(1)} ms, p95 ${percentile(timings, 0.95).toFixed(1)} ms ` +
      `(${Math.round(10_000 / (median / 1000)).toLocaleString("en")} events/s on one core)`,
  );
}
