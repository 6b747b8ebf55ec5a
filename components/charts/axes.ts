import type { DenseSeries } from "@/lib/domain/charts/series";
import { formatAxisTicks, type ChartUnit, type XKind } from "./format";
import { denseXExtent, summarizeDense, type SeriesSummary } from "./series";
import { zoneOffsetMs } from "@/lib/domain/time-zone";
import { logDomain, logTicks, niceLinearTicks, niceTimeTicks } from "./ticks";

export interface LineChartAxes {
  summaries: SeriesSummary[];
  extent: { min: number; max: number } | null;
  /** x span, for choosing how precise time labels are. */
  span: number;
  xTicks: number[];
  /** Set on a log axis with positive samples: its padded domain. */
  logRange: [number, number] | null;
  yTicks: number[];
  /** Tick → label, labelled together so no two read the same. */
  yLabels: Map<number, string>;
  /** Smallest and largest sample, for a linear y domain. */
  yMin: number;
  yMax: number;
  /** The person's zone, in which time ticks fall on round hours and days and are labelled. */
  timeZone: string;
}

/** Round x and y ticks and per-series summaries of the canvas line chart, from the same tick and label functions as the SVG chart. */
export function lineChartAxes(
  series: DenseSeries[],
  {
    xKind,
    isLogScale,
    unit,
    timeZone = "UTC",
  }: { xKind: XKind; isLogScale: boolean; unit?: ChartUnit; timeZone?: string },
): LineChartAxes {
  const extent = denseXExtent(series);
  const span = extent ? extent.max - extent.min : 0;
  const summaries = series.map((line) => summarizeDense(line.y));
  const xTicks = extent
    ? xKind === "time"
      ? niceTimeTicks(extent.min, extent.max, 7, zoneOffsetMs(extent.min, timeZone))
      : niceLinearTicks(extent.min, extent.max)
    : [];
  let positiveMin = Infinity;
  let positiveMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const item of summaries) {
    if (item.min !== null && item.min > 0) positiveMin = Math.min(positiveMin, item.min);
    if (item.max !== null && item.max > 0) positiveMax = Math.max(positiveMax, item.max);
    if (item.min !== null) yMin = Math.min(yMin, item.min);
    if (item.max !== null) yMax = Math.max(yMax, item.max);
  }
  const logRange =
    isLogScale && Number.isFinite(positiveMin) && Number.isFinite(positiveMax)
      ? logDomain(positiveMin, positiveMax)
      : null;
  const yTicks = logRange
    ? logTicks(...logRange)
    : Number.isFinite(yMin) && Number.isFinite(yMax)
      ? niceLinearTicks(yMin, yMax, 5)
      : [];
  return {
    summaries,
    extent,
    span,
    xTicks,
    logRange,
    yTicks,
    yLabels: formatAxisTicks(yTicks, unit),
    yMin,
    yMax,
    timeZone,
  };
}
