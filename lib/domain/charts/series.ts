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
