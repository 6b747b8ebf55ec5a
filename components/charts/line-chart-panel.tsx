"use client";

import dynamic from "next/dynamic";
import { useMemo } from "react";
import { Skeleton } from "@/components/ui/loading-state";
import { lineTextAlternative } from "./line-text-alternative";
import { ChartFrame, type ChartPanelProps, type LegendEntry } from "./chart-frame";
import { formatAxisTicks, formatChartValue, type ChartUnit, type XKind } from "./format";
import { seriesStyle } from "./palette";
import { useTimeZone } from "@/components/ui/date-time";
import type { ChartSeries } from "@/lib/domain/charts/series";
import { zoneOffsetMs } from "@/lib/domain/time-zone";
import { mergeSegmentsByX, summarizeSeries, xExtent } from "./series";
import { logDomain, logTicks, niceLinearTicks, niceTimeTicks } from "./ticks";

export type { ReferenceLineSpec } from "./line-chart-plot";
import type { ReferenceLineSpec } from "./line-chart-plot";

// Recharts is most of a chart page's JavaScript and draws only in the browser (chart-frame.tsx), so it
// loads in its own chunk after the page is interactive: the legend, summary and data table come first.
const LineChartPlot = dynamic(() => import("./line-chart-plot").then((m) => m.LineChartPlot), {
  ssr: false,
  loading: () => <Skeleton className="size-full" />,
});

export interface LineChartPanelProps extends ChartPanelProps {
  /** Prepared series: sorted by x, downsampled, in display units. At most ~8 for legibility. */
  series: ChartSeries[];
  /** "step": x is a training step; "time": x is epoch milliseconds (shown in the person's time zone). */
  xKind: XKind;
  unit?: ChartUnit;
  /** Log y axis (loss curves); non-positive samples cannot be drawn and become gaps. */
  isLogScale?: boolean;
  referenceLines?: ReferenceLineSpec[];
}

/** Multi-series line chart (metric histories, latency, error rate) with legend and text alternative. */
export function LineChartPanel({
  series,
  xKind,
  unit,
  isLogScale = false,
  referenceLines = [],
  ...panel
}: LineChartPanelProps) {
  const { title } = panel;
  const timeZone = useTimeZone();
  // Time series break at their gaps (no traffic is not a slope); each segment is its own drawn line.
  const { rows, lines } = useMemo(
    () =>
      mergeSegmentsByX(series, {
        keepPoint: (point) => !isLogScale || point.y === null || point.y > 0,
        isGapAware: xKind === "time",
      }),
    [series, isLogScale, xKind],
  );
  const extent = xExtent(series);
  const span = extent ? extent.max - extent.min : 0;
  const summaries = series.map((line) => summarizeSeries(line.points));
  const isEmpty = summaries.every((item) => item.count === 0);
  const xTicks = extent
    ? xKind === "time"
      ? niceTimeTicks(extent.min, extent.max, 7, zoneOffsetMs(extent.min, timeZone))
      : niceLinearTicks(extent.min, extent.max)
    : [];
  const positiveMin = Math.min(
    ...summaries.map((item) => (item.min !== null && item.min > 0 ? item.min : Infinity)),
  );
  const positiveMax = Math.max(
    ...summaries.map((item) => (item.max !== null && item.max > 0 ? item.max : -Infinity)),
  );
  const hasLogRange = isLogScale && Number.isFinite(positiveMin) && Number.isFinite(positiveMax);
  // Our own round y ticks, labelled together so no two read the same.
  const yMin = Math.min(...summaries.map((item) => item.min ?? Infinity));
  const yMax = Math.max(...summaries.map((item) => item.max ?? -Infinity));
  const yTicks = hasLogRange
    ? logTicks(...logDomain(positiveMin, positiveMax))
    : Number.isFinite(yMin) && Number.isFinite(yMax)
      ? niceLinearTicks(yMin, yMax, 5)
      : [];
  const yLabels = formatAxisTicks(yTicks, unit);

  const legend: LegendEntry[] = series.map((line, index) => ({
    label: line.label,
    ...seriesStyle(index),
    swatch: "line",
    value: formatChartValue(summaries[index].last, unit),
  }));

  const { generatedSummary, dataTable } = lineTextAlternative({
    title,
    series,
    summaries,
    extent,
    span,
    xKind,
    unit,
    timeZone,
  });

  return (
    <ChartFrame
      {...panel}
      generatedSummary={generatedSummary}
      legend={legend}
      dataTable={dataTable}
      isEmpty={isEmpty}
    >
      <LineChartPlot
        rows={rows}
        lines={lines}
        series={series}
        xKind={xKind}
        xDomain={extent ? [extent.min, extent.max] : undefined}
        xTicks={xTicks}
        span={span}
        yTicks={yTicks}
        yLabels={yLabels}
        yDomain={hasLogRange ? logDomain(positiveMin, positiveMax) : undefined}
        isLogScale={isLogScale}
        unit={unit}
        referenceLines={referenceLines}
        timeZone={timeZone}
      />
    </ChartFrame>
  );
}
