"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, type ChartPanelProps } from "./chart-frame";
import { ChartTooltipCard } from "./chart-tooltip";
import { formatAxisValue, formatChartValue, type ChartUnit } from "./format";
import { currentColor, referenceColor } from "./palette";
import { zeroBasedTicks } from "./ticks";

/** One bin (a numeric range or a category) with the reference and current amounts, prepared by the caller. */
export interface HistogramBin {
  label: string;
  reference: number;
  current: number;
}

export interface BarHistogramProps extends ChartPanelProps {
  bins: HistogramBin[];
  /** "share" when bins are proportions (0–1), the usual case for drift. */
  unit?: ChartUnit;
  referenceLabel?: string;
  currentLabel?: string;
}

/** Reference (training) vs current (serving) distribution, side by side per bin. */
export function BarHistogram({
  bins,
  unit = "share",
  referenceLabel = "Reference",
  currentLabel = "Current",
  emptyMessage = "No samples in this window.",
  ...panel
}: BarHistogramProps) {
  const { title } = panel;
  const largestShift = bins.reduce<HistogramBin | null>(
    (largest, bin) =>
      !largest || Math.abs(bin.current - bin.reference) > Math.abs(largest.current - largest.reference)
        ? bin
        : largest,
    null,
  );
  const yTicks = zeroBasedTicks(Math.max(0, ...bins.flatMap((bin) => [bin.reference, bin.current])));
  const generatedSummary = largestShift
    ? `${title}: ${bins.length} bins comparing ${referenceLabel.toLowerCase()} with ${currentLabel.toLowerCase()}. Largest difference in ${largestShift.label}: ${formatChartValue(largestShift.reference, unit)} vs ${formatChartValue(largestShift.current, unit)}.`
    : `${title}: no data.`;

  const dataTable = (
    <table>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Bin</th>
          <th scope="col">{referenceLabel}</th>
          <th scope="col">{currentLabel}</th>
        </tr>
      </thead>
      <tbody>
        {bins.map((bin) => (
          <tr key={bin.label}>
            <th scope="row">{bin.label}</th>
            <td>{formatChartValue(bin.reference, unit)}</td>
            <td>{formatChartValue(bin.current, unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFrame
      {...panel}
      emptyMessage={emptyMessage}
      generatedSummary={generatedSummary}
      legend={[
        { label: referenceLabel, color: referenceColor, swatch: "outline" },
        { label: currentLabel, color: currentColor, swatch: "solid" },
      ]}
      dataTable={dataTable}
      isEmpty={bins.length === 0}
    >
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
    </ChartFrame>
  );
}
