"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTooltipCard } from "./chart-tooltip";
import { formatAxisValue, formatChartValue, type ChartUnit } from "./format";
import { currentColor, referenceColor } from "./palette";

/** One bin (a numeric range or a category) with the reference and current amounts, prepared by the caller. */
export interface HistogramBin {
  label: string;
  reference: number;
  current: number;
}

/** The Recharts drawing of a BarHistogram, in its own chunk (bar-histogram.tsx loads it lazily). */
export function BarHistogramPlot({
  bins,
  yTicks,
  unit,
  referenceLabel,
  currentLabel,
}: {
  bins: HistogramBin[];
  yTicks: number[];
  unit?: ChartUnit;
  referenceLabel: string;
  currentLabel: string;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart
        data={bins}
        margin={{ top: 8, right: 8, bottom: 0, left: 4 }}
        barGap={2}
        barCategoryGap="18%"
        accessibilityLayer={false}
      >
        <CartesianGrid vertical={false} />
        <XAxis dataKey="label" tickLine={false} interval="preserveStartEnd" tickMargin={6} />
        <YAxis
          domain={[0, yTicks[yTicks.length - 1]]}
          ticks={yTicks}
          tickFormatter={(value: number) => formatAxisValue(value, unit)}
          axisLine={false}
          tickLine={false}
          width={48}
        />
        <Tooltip
          isAnimationActive={false}
          cursor={{ fill: "var(--sb-surface-muted)" }}
          content={({ active, payload, label }) => {
            if (!active || !payload?.length) return null;
            const bin = payload[0]?.payload as HistogramBin | undefined;
            if (!bin) return null;
            return (
              <ChartTooltipCard
                heading={String(label)}
                rows={[
                  {
                    key: "reference",
                    label: referenceLabel,
                    color: referenceColor,
                    value: formatChartValue(bin.reference, unit),
                    swatch: "outline",
                  },
                  {
                    key: "current",
                    label: currentLabel,
                    color: currentColor,
                    value: formatChartValue(bin.current, unit),
                    swatch: "solid",
                  },
                ]}
              />
            );
          }}
        />
        <Bar
          dataKey="reference"
          name={referenceLabel}
          fill={referenceColor}
          fillOpacity={0.12}
          stroke={referenceColor}
          strokeWidth={1.25}
          strokeDasharray="3 2"
          radius={[2, 2, 0, 0]}
          isAnimationActive={false}
        />
        <Bar
          dataKey="current"
          name={currentLabel}
          fill={currentColor}
          radius={[2, 2, 0, 0]}
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
