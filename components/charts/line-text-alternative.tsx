import type { ChartSeries } from "@/lib/domain/charts/series";
import { formatChartValue, formatXValue, type ChartUnit, type XKind } from "./format";
import type { SeriesSummary } from "./series";

interface LineTextAlternativeInput {
  title: string;
  series: ChartSeries[];
  summaries: SeriesSummary[];
  extent: { min: number; max: number } | null;
  span: number;
  xKind: XKind;
  unit?: ChartUnit;
  timeZone: string;
}

/**
 * What a line chart says to someone who cannot see it, the same whether it is drawn in SVG or on a
 * canvas: a sentence per series for the figure's description, and a small table of each series'
 * first, latest, smallest and largest value.
 */
export function lineTextAlternative({
  title,
  series,
  summaries,
  extent,
  span,
  xKind,
  unit,
  timeZone,
}: LineTextAlternativeInput) {
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
  return { generatedSummary, dataTable };
}
