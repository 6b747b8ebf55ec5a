// Series colours from the Okabe–Ito colour-blind-safe set, darkened where needed so every line keeps
// 3:1 contrast on the light surface (WCAG 1.4.11); dash patterns tell series apart without colour.
export const seriesColors = ["#0072B2", "#C85200", "#00896B", "#A8457F", "#8A6A00", "#5B5B5B"] as const;

const seriesDashes = [undefined, "6 3", "2 3", "10 3 2 3", "4 2", "1 2"] as const;

export interface SeriesStyle {
  color: string;
  /** SVG stroke-dasharray; undefined is solid. */
  dash: string | undefined;
}

/** Style of the nth series; beyond six, colours repeat with the next dash pattern. */
export function seriesStyle(index: number): SeriesStyle {
  const color = seriesColors[index % seriesColors.length];
  const dash = seriesDashes[(index + Math.floor(index / seriesColors.length)) % seriesDashes.length];
  return { color, dash };
}

/** Histogram: the baseline is a muted outline, current data a solid fill, so they differ without colour. */
export const referenceColor = "#6B7280";
export const currentColor = seriesColors[0];
