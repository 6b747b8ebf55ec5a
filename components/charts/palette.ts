// Series colours are theme tokens (app/globals.css --sb-chart-*: Okabe–Ito, colour-blind safe, 3:1 on
// the surface in both schemes, checked by design-tokens.test.ts). SVG presentation attributes accept
// var(), so Recharts can take them as stroke/fill; the raw --sb-* names are used because Tailwind
// only emits the --color-* theme variables it finds in source. Dashes tell series apart without colour.
export const SERIES_COLOR_COUNT = 6;

export const seriesColors = Array.from(
  { length: SERIES_COLOR_COUNT },
  (_, index) => `var(--sb-chart-${index + 1})`,
);

const seriesDashes = [undefined, "6 3", "2 3", "10 3 2 3", "4 2", "1 2"] as const;

export interface SeriesStyle {
  color: string;
  /** SVG stroke-dasharray; undefined is solid. */
  dash: string | undefined;
}

/** Style of the nth series; beyond six, colours repeat with the next dash pattern. */
export function seriesStyle(index: number): SeriesStyle {
  const color = seriesColors[index % SERIES_COLOR_COUNT];
  const dash = seriesDashes[(index + Math.floor(index / SERIES_COLOR_COUNT)) % seriesDashes.length];
  return { color, dash };
}

/** Histogram: the baseline is a muted dashed outline, current data a solid fill, so they differ without colour. */
export const referenceColor = "var(--sb-chart-reference)";
export const currentColor = seriesColors[0];
