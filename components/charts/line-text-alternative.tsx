import { formatChartValue, formatXValue, type ChartUnit, type XKind } from "./format";
import type { SeriesSummary } from "./series";

interface LineTextAlternativeInput {
  title: string;
  series: Array<{ id: string; label: string }>;
  summaries: SeriesSummary[];
  extent: { min: number; max: number } | null;
  span: number;
  xKind: XKind;
  unit?: ChartUnit;
  timeZone: string;
}

function xRangeOf({ extent, xKind, span, timeZone }: LineTextAlternativeInput): string {
  return extent
    ? `${formatXValue(extent.min, xKind, span, { isFull: true, timeZone })} to ${formatXValue(extent.max, xKind, span, { isFull: true, timeZone })}`
    : "";
}

/**
 * What a line chart of a few series says to someone who cannot see it: a sentence per series for the
 * figure's description, and a small table of each series' first, latest, smallest and largest value.
 */
export function lineTextAlternative(input: LineTextAlternativeInput) {
  const { title, series, summaries, unit } = input;
  const generatedSummary = `${title}: ${series.length} series from ${xRangeOf(input)}. ${series
    .map((line, index) => {
      const stats = summaries[index];
      return `${line.label}: latest ${formatChartValue(stats.last, unit)}, minimum ${formatChartValue(stats.min, unit)}, maximum ${formatChartValue(stats.max, unit)}.`;
    })
    .join(" ")}`;
  return { generatedSummary, dataTable: <SeriesValuesTable {...input} /> };
}

/**
 * The description of a chart of many lines (up to 100 runs): a sentence per line would be a page of
 * text read at every chart, so it says how many, over what range, and which lines end lowest and
 * highest; every line's values are in the table the chart shows on demand (ChartFrame renderDataTable).
 */
export function manyLinesSummary(input: LineTextAlternativeInput): string {
  const { title, series, summaries, unit } = input;
  let lowest = -1;
  let highest = -1;
  summaries.forEach((stats, index) => {
    if (stats.last === null) return;
    if (lowest < 0 || stats.last < summaries[lowest].last!) lowest = index;
    if (highest < 0 || stats.last > summaries[highest].last!) highest = index;
  });
  const latest =
    lowest < 0
      ? ""
      : ` Latest values from ${formatChartValue(summaries[lowest].last, unit)} (${series[lowest].label}) to ${formatChartValue(summaries[highest].last, unit)} (${series[highest].label}).`;
  return `${title}: ${series.length} series from ${xRangeOf(input)}.${latest} Each series' values are in the table under "Show values".`;
}

/** Each series' first, latest, smallest and largest value and its sample count. */
export function SeriesValuesTable({ title, series, summaries, unit }: LineTextAlternativeInput) {
  return (
    <table className="w-full text-xs tabular-nums [&_td]:px-2 [&_td]:py-0.5 [&_td]:text-right [&_th]:px-2 [&_th]:py-0.5 [&_th]:text-left">
      <caption className="sr-only">{title}, per series</caption>
      <thead className="text-fg-muted">
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
          <tr key={line.id} className="border-t border-line">
            <th scope="row" className="font-normal">
              {line.label}
            </th>
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
}
