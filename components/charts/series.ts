import type { ChartPoint, ChartSeries, DenseSeries } from "@/lib/domain/charts/series";

export interface SeriesSummary {
  count: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
}

/** First, last, min and max of the non-null samples: the text alternative and legend values. */
export function summarizeSeries(points: ChartPoint[]): SeriesSummary {
  return summarize(points.length, (i) => points[i].y);
}

/** The same for a dense line's y column (NaN is a gap). */
export function summarizeDense(y: Float64Array): SeriesSummary {
  return summarize(y.length, (i) => y[i]);
}

function summarize(length: number, valueAt: (index: number) => number | null): SeriesSummary {
  let first: number | null = null;
  let last: number | null = null;
  let min: number | null = null;
  let max: number | null = null;
  let count = 0;
  for (let i = 0; i < length; i++) {
    const y = valueAt(i);
    if (y === null || !Number.isFinite(y)) continue;
    count += 1;
    if (first === null) first = y;
    last = y;
    if (min === null || y < min) min = y;
    if (max === null || y > max) max = y;
  }
  return { count, first, last, min, max };
}

/** The data key of series `index` in merged rows. */
export function seriesKey(index: number): string {
  return `s${index}`;
}

export type MergedRow = { x: number } & Record<string, number | null>;

/**
 * Rows keyed by x with one column per series, the shape Recharts needs so a hover shows every series
 * at the same x (separate per-line arrays would pair points by index, not by x). Not a data change:
 * every input point appears exactly once.
 */
export function mergeSeriesByX(
  series: ChartSeries[],
  keepPoint: (point: ChartPoint) => boolean = () => true,
): MergedRow[] {
  const rows = new Map<number, MergedRow>();
  series.forEach((line, index) => {
    const key = seriesKey(index);
    for (const point of line.points) {
      let row = rows.get(point.x);
      if (!row) {
        row = { x: point.x } as MergedRow;
        rows.set(point.x, row);
      }
      row[key] = keepPoint(point) ? point.y : null;
    }
  });
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/**
 * A line's runs of consecutive samples: it breaks at a null sample and where samples are more than
 * `gapFactor` × its median spacing apart (a range query over a service with no traffic returns no
 * sample), so a gap is drawn as a gap, never as a diagonal joining the two sides. For regularly
 * sampled series (time); downsampled step series space their points unevenly by design.
 */
export function splitAtGaps(points: ChartPoint[], gapFactor = 3): ChartPoint[][] {
  const deltas = points
    .slice(1)
    .map((point, i) => point.x - points[i].x)
    .sort((a, b) => a - b);
  const median = deltas.length >= 2 ? deltas[Math.floor(deltas.length / 2)] : Infinity;
  const segments: ChartPoint[][] = [];
  let current: ChartPoint[] = [];
  let previous: ChartPoint | undefined;
  for (const point of points) {
    const isSample = point.y !== null && Number.isFinite(point.y);
    if (current.length && (!isSample || (previous && point.x - previous.x > gapFactor * median))) {
      segments.push(current);
      current = [];
    }
    if (isSample) current.push(point);
    previous = point;
  }
  if (current.length) segments.push(current);
  return segments;
}

/** The data key of a line's segment: "s2" for the first, "s2_1" after its first gap. */
export const segmentKey = (seriesIndex: number, segment: number) =>
  segment === 0 ? seriesKey(seriesIndex) : `${seriesKey(seriesIndex)}_${segment}`;
/** The series a data key belongs to ("s2_1" → 2). */
export const seriesIndexOfKey = (key: string) => Number.parseInt(key.slice(1), 10);

/** Like mergeSeriesByX, with each line split at its gaps into separately keyed segments (one drawn line each). */
export function mergeSegmentsByX(
  series: ChartSeries[],
  { keepPoint = () => true, isGapAware }: { keepPoint?: (point: ChartPoint) => boolean; isGapAware: boolean },
) {
  const segments = series.flatMap((line, index) =>
    (isGapAware ? splitAtGaps(line.points.filter((p) => p.y === null || keepPoint(p))) : [line.points]).map(
      (points, segment) => ({ key: segmentKey(index, segment), seriesIndex: index, points }),
    ),
  );
  const rows = new Map<number, MergedRow>();
  for (const { key, points } of segments) {
    for (const point of points) {
      let row = rows.get(point.x);
      if (!row) {
        row = { x: point.x } as MergedRow;
        rows.set(point.x, row);
      }
      row[key] = keepPoint(point) ? point.y : null;
    }
  }
  return {
    rows: [...rows.values()].sort((a, b) => a.x - b.x),
    lines: segments.map(({ key, seriesIndex }) => ({ key, seriesIndex })),
  };
}

/** x extent across all series, for axis formatting choices. */
export function xExtent(series: ChartSeries[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const line of series) {
    for (const { x } of line.points) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min === Infinity ? null : { min, max };
}

/** x extent of dense lines (each sorted by x: its ends are its extent). */
export function denseXExtent(series: DenseSeries[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const { x } of series) {
    if (!x.length) continue;
    min = Math.min(min, x[0]);
    max = Math.max(max, x[x.length - 1]);
  }
  return min === Infinity ? null : { min, max };
}
