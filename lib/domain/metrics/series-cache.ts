import {
  downsampleSeries,
  mergeDownsampled,
  type DownsampledSeries,
} from "@/lib/domain/downsample/downsample";
import { encodeSeries, type EncodedSeries } from "./series-codec";

/**
 * The downsampled copy of one metric history as Switchboard caches it (table metric_series). M4 keeps
 * every series' true first, last, minimum and maximum, and merging new steps into it gives exactly
 * what downsampling the whole history would (lib/domain/downsample).
 */
export const cachedPointsPerSeries = 500;

export interface CachedSeries {
  steps: number[];
  timestamps: number[];
  values: number[];
  /** Points of the full MLflow history this copy summarises. */
  totalPoints: number;
  bucketExponent: number;
}

export interface SeriesPoint {
  step: number;
  timestamp: number;
  value: number;
}

export interface SeriesStats {
  lastStep: number;
  lastTimestamp: number;
  minValue: number | null;
  maxValue: number | null;
  lastValue: number | null;
}

const columns = (points: SeriesPoint[]) => ({
  steps: points.map((p) => p.step),
  timestamps: points.map((p) => p.timestamp),
  values: points.map((p) => p.value),
});

const fromDownsampled = (series: DownsampledSeries): CachedSeries => ({
  steps: series.steps,
  timestamps: series.timestamps,
  values: series.values,
  totalPoints: series.sourceCount,
  bucketExponent: series.bucketExponent,
});

/** The copy of a whole history. */
export function buildCachedSeries(points: SeriesPoint[], target = cachedPointsPerSeries): CachedSeries {
  return fromDownsampled(downsampleSeries(columns(points), target));
}

/** The copy extended with points it has not seen (exact: equal to building it from the whole history). */
export function extendCachedSeries(
  cached: CachedSeries,
  newPoints: SeriesPoint[],
  target = cachedPointsPerSeries,
): CachedSeries {
  if (!newPoints.length) return cached;
  const existing: DownsampledSeries = { ...cached, method: "m4", sourceCount: cached.totalPoints, target };
  return fromDownsampled(mergeDownsampled(existing, columns(newPoints), target));
}

/** The same series with at most `target` points (an exact M4 at a coarser width), for one response. */
export function reduceCachedSeries(
  cached: Pick<CachedSeries, "steps" | "timestamps" | "values">,
  target: number,
) {
  if (cached.steps.length <= target) return cached;
  const reduced = downsampleSeries(cached, target);
  return { steps: reduced.steps, timestamps: reduced.timestamps, values: reduced.values };
}

/** Last step and value, true minimum and maximum (NaN is never an extreme). */
export function cachedSeriesStats(
  series: Pick<CachedSeries, "steps" | "timestamps" | "values">,
): SeriesStats {
  let minValue: number | null = null;
  let maxValue: number | null = null;
  for (const value of series.values) {
    if (Number.isNaN(value)) continue;
    if (minValue === null || value < minValue) minValue = value;
    if (maxValue === null || value > maxValue) maxValue = value;
  }
  const last = series.steps.length - 1;
  return {
    lastStep: last >= 0 ? series.steps[last] : -1,
    lastTimestamp: last >= 0 ? series.timestamps[last] : 0,
    minValue,
    maxValue,
    lastValue: last >= 0 ? series.values[last] : null,
  };
}

/**
 * PostgreSQL array text for float8[]/bigint[] columns. The series are written and read as text
 * because Prisma rounds doubles to 15 digits on write and cannot carry NaN or ±Infinity, which
 * MLflow metrics may hold; String() is the shortest text that reads back as the same double.
 */
export function toPgArrayText(numbers: readonly number[]): string {
  return `{${numbers.map(String).join(",")}}`;
}

export function parsePgArrayText(text: string | null): number[] {
  if (!text || text === "{}") return [];
  return text.slice(1, -1).split(",").map(Number);
}

/** Sizes each cached series is kept pre-encoded at; a comparison picks the largest its byte budget allows. */
export const previewSizes = [80, 160, cachedPointsPerSeries] as const;
export type PreviewSize = (typeof previewSizes)[number];
export type SeriesPreviews = Record<`${PreviewSize}`, EncodedSeries>;

/** The series at every preview size (exact M4 at coarser widths), encoded with timestamps. */
export function buildPreviews(series: Pick<CachedSeries, "steps" | "timestamps" | "values">): SeriesPreviews {
  return Object.fromEntries(
    previewSizes.map((size) => [
      String(size),
      encodeSeries(reduceCachedSeries(series, size), { withTimestamps: true }),
    ]),
  ) as SeriesPreviews;
}
