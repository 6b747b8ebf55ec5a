import type { ChartPoint, ChartSeries } from "@/lib/domain/charts/series";

export interface SeriesSummary {
  count: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
}

/** First, last, min and max of the non-null samples: the text alternative and legend values. */
export function summarizeSeries(points: ChartPoint[]): SeriesSummary {
  let first: number | null = null;
  let last: number | null = null;
  let min: number | null = null;
  let max: number | null = null;
  let count = 0;
  for (const { y } of points) {
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
export function mergeSeriesByX(series: ChartSeries[], keepPoint: (point: ChartPoint) => boolean = () => true): MergedRow[] {
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
