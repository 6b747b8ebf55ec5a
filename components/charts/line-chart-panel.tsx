"use client";

import { useMemo } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { ChartFrame, type ChartPanelProps, type LegendEntry } from "./chart-frame";
import { ChartTooltipCard } from "./chart-tooltip";
import {
  formatAxisTicks,
  formatAxisValue,
  formatChartValue,
  formatXValue,
  type ChartUnit,
  type XKind,
} from "./format";
import { seriesStyle } from "./palette";
import { useTimeZone } from "@/components/ui/date-time";
import type { ChartSeries } from "@/lib/domain/charts/series";
import { zoneOffsetMs } from "@/lib/domain/time-zone";
import { mergeSegmentsByX, seriesIndexOfKey, summarizeSeries, xExtent } from "./series";
import { logDomain, logTicks, niceLinearTicks, niceTimeTicks } from "./ticks";

export interface ReferenceLineSpec {
  y: number;
  /** e.g. "SLO 250 ms", drawn at the line's right end. */
  label: string;
}

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

  const xRange = extent
    ? `${formatXValue(extent.min, xKind, span, { isFull: true, timeZone })} to ${formatXValue(extent.max, xKind, span, { isFull: true, timeZone })}`
    : "";
  const generatedSummary = `${title}: ${series.length} series from ${xRange}. ${series
    .map((line, index) => {
      const stats = summaries[index];
      return `${line.label}: latest ${formatChartValue(stats.last, unit)}, minimum ${formatChartValue(stats.min, unit)}, maximum ${formatChartValue(stats.max, unit)}.`;
    })
    .join(" ")}`;

  const dataTable = (
    <table>
      <caption>{title}, per series</caption>
      <thead>
        <tr>
          <th scope="col">Series</th>
          <th scope="col">First</th>
          <th scope="col">Latest</th>
          <th scope="col">Minimum</th>
          <th scope="col">Maximum</th>
          <th scope="col">Samples</th>
        </tr>
      </thead>
      <tbody>
        {series.map((line, index) => (
          <tr key={line.id}>
            <th scope="row">{line.label}</th>
            <td>{formatChartValue(summaries[index].first, unit)}</td>
            <td>{formatChartValue(summaries[index].last, unit)}</td>
            <td>{formatChartValue(summaries[index].min, unit)}</td>
            <td>{formatChartValue(summaries[index].max, unit)}</td>
            <td>{summaries[index].count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFrame
      {...panel}
      generatedSummary={generatedSummary}
      legend={legend}
      dataTable={dataTable}
      isEmpty={isEmpty}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="x"
            type="number"
            domain={extent ? [extent.min, extent.max] : ["dataMin", "dataMax"]}
            ticks={xTicks.length > 1 ? xTicks : undefined}
            tickFormatter={(value: number) => formatXValue(value, xKind, span, { timeZone })}
            tickLine={false}
            minTickGap={24}
            tickMargin={6}
          />
          <YAxis
            scale={isLogScale ? "log" : "auto"}
            domain={hasLogRange ? logDomain(positiveMin, positiveMax) : ["auto", "auto"]}
            ticks={yTicks.length > 1 ? yTicks : undefined}
            allowDataOverflow={isLogScale}
            tickFormatter={(value: number) => yLabels.get(value) ?? formatAxisValue(value, unit)}
            axisLine={false}
            tickLine={false}
            width={56}
            tickMargin={4}
          />
          <Tooltip
            isAnimationActive={false}
            cursor={{ stroke: "var(--sb-line-strong)" }}
            content={({ active, payload, label }) => {
              if (!active || !payload?.length) return null;
              const rowsAtX = payload
                .filter((entry) => entry.value !== null && entry.value !== undefined)
                .map((entry) => {
                  const index = seriesIndexOfKey(String(entry.dataKey));
                  return {
                    key: String(entry.dataKey),
                    label: series[index]?.label ?? String(entry.name),
                    color: seriesStyle(index).color,
                    value: formatChartValue(Number(entry.value), unit),
                    swatch: "line" as const,
                  };
                });
              return (
                <ChartTooltipCard
                  heading={formatXValue(Number(label), xKind, span, { isFull: true, timeZone })}
                  rows={rowsAtX}
                />
              );
            }}
          />
          {referenceLines.map((line) => (
            <ReferenceLine
              key={`${line.label}-${line.y}`}
              y={line.y}
              strokeDasharray="4 4"
              ifOverflow="extendDomain"
              label={{ value: line.label, position: "insideTopRight", fontSize: 11 }}
            />
          ))}
          {lines.map(({ key, seriesIndex: index }) => {
            const style = seriesStyle(index);
            return (
              <Line
                key={key}
                dataKey={key}
                name={series[index].label}
                type="linear"
                stroke={style.color}
                strokeDasharray={style.dash}
                strokeWidth={1.75}
                dot={false}
                activeDot={{ r: 3.5, strokeWidth: 0 }}
                connectNulls
                isAnimationActive={false}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
