import {
  histogram,
  toHistogramSample,
  type FeatureDefinition,
  type FeatureKind,
  type HistogramSample,
} from "./bins";
import type { KsPValueMode } from "./distributions";
import {
  chiSquareFromCounts,
  histogramStd,
  jensenShannonDistance,
  ksFromHistograms,
  normWasserstein,
  psi,
  sum,
  wassersteinFromHistograms,
  zTestFromCounts,
} from "./histogram-statistics";
import {
  alignValueCounts,
  finiteNumbers,
  ks2Samp,
  populationStd,
  sturgesEdges,
  wassersteinDistance,
} from "./sample-statistics";

/**
 * Column and dataset drift with Evidently's defaults (legacy `get_stattest` selection and thresholds),
 * over either stored histograms or raw values.
 */

export type DriftMethod = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon" | "psi";

/** p-value tests drift when the score falls below the threshold; distances when it reaches it. */
export const DRIFT_METHODS: Record<
  DriftMethod,
  { scoreKind: "p_value" | "distance"; defaultThreshold: number }
> = {
  ks: { scoreKind: "p_value", defaultThreshold: 0.05 },
  chisquare: { scoreKind: "p_value", defaultThreshold: 0.05 },
  z: { scoreKind: "p_value", defaultThreshold: 0.05 },
  wasserstein: { scoreKind: "distance", defaultThreshold: 0.1 },
  jensenshannon: { scoreKind: "distance", defaultThreshold: 0.1 },
  psi: { scoreKind: "distance", defaultThreshold: 0.1 },
};

/** Evidently switches from tests to distances above this many reference rows. */
export const LARGE_REFERENCE_ROWS = 1000;
export const DEFAULT_DRIFT_SHARE = 0.5;

export type RawValuesSample = { values: ArrayLike<unknown> };
export type FeatureSample = HistogramSample | RawValuesSample;

export interface DriftFeatureInput {
  name: string;
  kind: FeatureKind;
  /** Both histograms over the same buckets, or both raw values. */
  reference: FeatureSample;
  current: FeatureSample;
  /** Numeric histograms: the bin edges (needed by Wasserstein). */
  edges?: ArrayLike<number>;
  /** Exact std of the raw reference; without it a histogram's std is estimated from bin midpoints. */
  referenceStd?: number;
  method?: DriftMethod;
  threshold?: number;
  /**
   * ks_2samp's p-value method. Defaults: "auto" for raw values (exact up to 10,000 rows per side,
   * like scipy), "fast" (the asymptotic law, see fastKolmogorovSf) for histograms (see ksFromHistograms for why).
   */
  ksMode?: KsPValueMode;
}

export interface FeatureDriftResult {
  name: string;
  kind: FeatureKind;
  method: DriftMethod;
  scoreKind: "p_value" | "distance";
  /** p-value or distance; NaN when either side has no non-missing values. */
  score: number;
  threshold: number;
  isDrifted: boolean;
  /** False when a side was empty: such a feature counts neither as drifted nor in the share. */
  isEvaluated: boolean;
  referenceCount: number;
  currentCount: number;
  currentMissing: number;
}

export interface DatasetDriftResult {
  features: FeatureDriftResult[];
  driftedCount: number;
  evaluatedCount: number;
  /** Drifted / evaluated features; 0 when none could be evaluated. */
  share: number;
  driftShare: number;
  isDrifted: boolean;
}

export interface DetectDriftInput {
  features: DriftFeatureInput[];
  /** Dataset drift when share ≥ this (Evidently's drift_share, default 0.5). */
  driftShare?: number;
}

export function detectDrift(input: DetectDriftInput): DatasetDriftResult {
  const driftShare = input.driftShare ?? DEFAULT_DRIFT_SHARE;
  const features = input.features.map(detectFeatureDrift);
  let driftedCount = 0;
  let evaluatedCount = 0;
  for (const feature of features) {
    if (feature.isEvaluated) evaluatedCount++;
    if (feature.isDrifted) driftedCount++;
  }
  const share = evaluatedCount === 0 ? 0 : driftedCount / evaluatedCount;
  return {
    features,
    driftedCount,
    evaluatedCount,
    share,
    driftShare,
    isDrifted: evaluatedCount > 0 && share >= driftShare,
  };
}

/**
 * Evidently's default test for a column: by reference size, kind and the number of distinct values
 * in reference and current together (for histograms: buckets non-empty on either side).
 */
export function defaultDriftMethod(
  kind: FeatureKind,
  referenceRows: number,
  distinctValues: number,
): DriftMethod {
  if (referenceRows <= LARGE_REFERENCE_ROWS) {
    if (kind === "numeric" && distinctValues > 5) return "ks";
    return distinctValues > 2 ? "chisquare" : "z";
  }
  if (kind === "numeric" && distinctValues > 5) return "wasserstein";
  return "jensenshannon";
}

/** Input for one feature of a monitor from its definition and one window's stored counts. */
export function driftInputFromDefinition(
  definition: FeatureDefinition,
  windowCounts: ArrayLike<number>,
  options: Pick<DriftFeatureInput, "method" | "threshold" | "ksMode"> = {},
): DriftFeatureInput {
  return {
    name: definition.name,
    kind: definition.kind,
    reference: toHistogramSample(definition, definition.reference),
    current: toHistogramSample(definition, windowCounts),
    edges: definition.kind === "numeric" ? definition.edges : undefined,
    referenceStd: definition.kind === "numeric" ? definition.referenceStd : undefined,
    ...options,
  };
}

export function detectFeatureDrift(feature: DriftFeatureInput): FeatureDriftResult {
  const isHistogram = "counts" in feature.reference;
  if (isHistogram !== "counts" in feature.current) {
    throw new TypeError(
      `Feature ${feature.name}: reference and current must both be histograms or both raw values`,
    );
  }
  return isHistogram ? histogramDrift(feature) : rawValuesDrift(feature);
}

/** Rows on each side and buckets non-empty on either side, what the default method depends on. */
function histogramSizes(feature: DriftFeatureInput) {
  const reference = feature.reference as HistogramSample;
  const current = feature.current as HistogramSample;
  let distinct = 0;
  for (let i = 0; i < reference.counts.length; i++)
    if (reference.counts[i] > 0 || current.counts[i] > 0) distinct++;
  return {
    reference,
    current,
    referenceCount: sum(reference.counts),
    currentCount: sum(current.counts),
    distinct,
  };
}

/**
 * The method for a monitoring window of histograms: Evidently's rule, with the smaller side's row
 * count in place of the reference's. Evidently assumes a current sample about the reference's size;
 * a quiet service's five-minute window can hold a few dozen rows against thousands, where the
 * distances sit above their 0.1 thresholds by sampling noise alone (60 rows drawn from the reference
 * itself: normed Wasserstein "drifts" in 8 windows of 10). The tests (KS, chi-square) keep their
 * false-alarm rate at the p-value threshold whatever the size, so small windows get those.
 */
export function windowDriftMethod(feature: DriftFeatureInput): DriftMethod {
  const { referenceCount, currentCount, distinct } = histogramSizes(feature);
  return defaultDriftMethod(feature.kind, Math.min(referenceCount, currentCount), distinct);
}

function histogramDrift(feature: DriftFeatureInput): FeatureDriftResult {
  const { reference, current, referenceCount, currentCount, distinct } = histogramSizes(feature);
  const method = feature.method ?? defaultDriftMethod(feature.kind, referenceCount, distinct);
  assertMethodFitsKind(feature, method);
  const base = { feature, method, referenceCount, currentCount, currentMissing: current.missing ?? 0 };
  if (referenceCount === 0 || currentCount === 0) return result(base, Number.NaN);

  switch (method) {
    case "ks":
      return result(base, ksFromHistograms(reference.counts, current.counts, feature.ksMode).pValue);
    case "chisquare":
      return result(base, chiSquareFromCounts(reference.counts, current.counts).pValue);
    case "z":
      return result(base, zTestFromCounts(reference.counts, current.counts).pValue);
    case "jensenshannon":
      return result(base, jensenShannonDistance(reference.counts, current.counts));
    case "psi":
      return result(base, psi(reference.counts, current.counts));
    case "wasserstein": {
      if (!feature.edges)
        throw new TypeError(`Feature ${feature.name}: Wasserstein on a histogram needs its edges`);
      const std = feature.referenceStd ?? histogramStd(reference.counts, feature.edges);
      const distance = wassersteinFromHistograms(reference.counts, current.counts, feature.edges);
      return result(base, normWasserstein(distance, std));
    }
  }
}

function rawValuesDrift(feature: DriftFeatureInput): FeatureDriftResult {
  const referenceValues = (feature.reference as RawValuesSample).values;
  const currentValues = (feature.current as RawValuesSample).values;
  const aligned = alignValueCounts(referenceValues, currentValues);
  const isNumeric = feature.kind === "numeric";
  const reference = isNumeric ? finiteNumbers(referenceValues) : undefined;
  const current = isNumeric ? finiteNumbers(currentValues) : undefined;
  const referenceCount = reference?.length ?? sum(aligned.reference);
  const currentCount = current?.length ?? sum(aligned.current);
  const method = feature.method ?? defaultDriftMethod(feature.kind, referenceCount, aligned.keys.length);
  assertMethodFitsKind(feature, method);
  const currentMissing = currentValues.length - currentCount;
  const base = { feature, method, referenceCount, currentCount, currentMissing };
  if (referenceCount === 0 || currentCount === 0) return result(base, Number.NaN);

  switch (method) {
    case "ks":
    case "wasserstein": {
      if (!reference || !current)
        throw new TypeError(`Feature ${feature.name}: ${method} needs numeric values`);
      if (method === "ks") return result(base, ks2Samp(reference, current, feature.ksMode).pValue);
      return result(base, normWasserstein(wassersteinDistance(reference, current), populationStd(reference)));
    }
    case "chisquare":
      return result(base, chiSquareFromCounts(aligned.reference, aligned.current).pValue);
    case "z":
      return result(base, zTestFromCounts(aligned.reference, aligned.current).pValue);
    case "jensenshannon":
    case "psi": {
      const [r, c] =
        reference && current
          ? evidentlyBinnedCounts(reference, current, aligned)
          : [aligned.reference, aligned.current];
      return result(base, method === "psi" ? psi(r, c) : jensenShannonDistance(r, c));
    }
  }
}

/** Like Evidently, KS and Wasserstein are refused for categorical features. */
function assertMethodFitsKind(feature: DriftFeatureInput, method: DriftMethod): void {
  if ((method === "ks" || method === "wasserstein") && feature.kind !== "numeric") {
    throw new TypeError(`Feature ${feature.name}: ${method} applies to numeric features only`);
  }
}

/**
 * Evidently's get_binned_data for numeric columns: Sturges bins over reference and current together
 * when the reference has more than 20 distinct values, value counts otherwise.
 */
function evidentlyBinnedCounts(
  reference: number[],
  current: number[],
  aligned: ReturnType<typeof alignValueCounts>,
): [number[], number[]] {
  if (new Set(reference).size <= 20) return [aligned.reference, aligned.current];
  const edges = sturgesEdges([...reference, ...current]);
  return [histogram(reference, edges).slice(0, -1), histogram(current, edges).slice(0, -1)];
}

function result(
  base: {
    feature: DriftFeatureInput;
    method: DriftMethod;
    referenceCount: number;
    currentCount: number;
    currentMissing: number;
  },
  score: number,
): FeatureDriftResult {
  const { feature, method } = base;
  const { scoreKind, defaultThreshold } = DRIFT_METHODS[method];
  const threshold = feature.threshold ?? defaultThreshold;
  const isEvaluated = !Number.isNaN(score);
  // Evidently: KS drifts at p ≤ threshold, chi-square and z at p < threshold, distances at ≥.
  const isDrifted =
    isEvaluated &&
    (scoreKind === "distance"
      ? score >= threshold
      : method === "ks"
        ? score <= threshold
        : score < threshold);
  return {
    name: feature.name,
    kind: feature.kind,
    method,
    scoreKind,
    score,
    threshold,
    isDrifted,
    isEvaluated,
    referenceCount: base.referenceCount,
    currentCount: base.currentCount,
    currentMissing: base.currentMissing,
  };
}
