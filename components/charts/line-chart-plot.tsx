"use client";

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
import { ChartTooltipCard } from "./chart-tooltip";
import { formatAxisValue, formatChartValue, formatXValue, type ChartUnit, type XKind } from "./format";
import { seriesStyle } from "./palette";
import type { ChartSeries } from "@/lib/domain/charts/series";
import { seriesIndexOfKey } from "./series";

export interface ReferenceLineSpec {
  y: number;
  /** e.g. "SLO 250 ms", drawn at the line's right end. */
  label: string;
}

export interface LineChartPlotProps {
  rows: Array<Record<string, number | null>>;
  lines: Array<{ key: string; seriesIndex: number }>;
  series: ChartSeries[];
  xKind: XKind;
  xDomain?: [number, number];
  xTicks: number[];
  span: number;
  yTicks: number[];
  yLabels: Map<number, string>;
  /** Set for a log axis with a positive range. */
  yDomain?: [number, number];
  isLogScale: boolean;
  unit?: ChartUnit;
  referenceLines: ReferenceLineSpec[];
  timeZone: string;
}

/** The Recharts drawing of a LineChartPanel, in its own chunk (line-chart-panel.tsx loads it lazily). */
export function LineChartPlot({
  rows,
  lines,
  series,
  xKind,
  xDomain,
  xTicks,
  span,
  yTicks,
  yLabels,
  yDomain,
  isLogScale,
  unit,
  referenceLines,
  timeZone,
}: LineChartPlotProps) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 4 }} accessibilityLayer={false}>
        <CartesianGrid vertical={false} />
        <XAxis
          dataKey="x"
          type="number"
          domain={xDomain ?? ["dataMin", "dataMax"]}
          ticks={xTicks.length > 1 ? xTicks : undefined}
          tickFormatter={(value: number) => formatXValue(value, xKind, span, { timeZone })}
          tickLine={false}
          minTickGap={24}
          tickMargin={6}
        />
        <YAxis
          scale={isLogScale ? "log" : "auto"}
          domain={yDomain ?? ["auto", "auto"]}
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
  );
}
