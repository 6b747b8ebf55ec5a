/**
 * What domain preparers hand to chart components: the contract between shaping data (lib/domain)
 * and drawing it (components/charts).
 */
/** A point of a prepared series; `y: null` is a gap (no sample). */
export interface ChartPoint {
  x: number;
  y: number | null;
}

/** One line of a chart, already downsampled, sorted by x and converted to display units by its preparer. */
export interface ChartSeries {
  id: string;
  label: string;
  points: ChartPoint[];
}

/**
 * A line as columns, for charts of hundreds of lines (the comparison's canvas charts,
 * docs/decisions/017): x sorted ascending, y NaN where there is no sample (a gap). No point objects.
 */
export interface DenseSeries {
  id: string;
  label: string;
  x: Float64Array;
  y: Float64Array;
}
