"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/loading-state";
import { ChartFrame, type ChartPanelProps } from "./chart-frame";
import { formatChartValue, type ChartUnit } from "./format";
import type { HistogramBin } from "./bar-histogram-plot";
import { currentColor, referenceColor } from "./palette";
import { zeroBasedTicks } from "./ticks";

export type { HistogramBin } from "./bar-histogram-plot";

// Recharts in its own chunk, as in line-chart-panel.tsx: the legend, summary and table come first.
const BarHistogramPlot = dynamic(() => import("./bar-histogram-plot").then((m) => m.BarHistogramPlot), {
  ssr: false,
  loading: () => <Skeleton className="size-full" />,
});

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
      <BarHistogramPlot
        bins={bins}
        yTicks={yTicks}
        unit={unit}
        referenceLabel={referenceLabel}
        currentLabel={currentLabel}
      />
    </ChartFrame>
  );
}
