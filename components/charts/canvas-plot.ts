import type { DenseSeries } from "@/lib/domain/charts/series";

// Geometry of the canvas line chart (dense-line-chart-panel.tsx): scales and hit-testing, no drawing,
// so it is tested without a browser. Canvas is used where one chart holds up to 100 runs × 500 points
// (docs/decisions/017-dense-charts-on-canvas.md).

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Scale {
  /** Data value → pixel; NaN when the value cannot be drawn (non-positive on a log axis). */
  toPixel: (value: number) => number;
  /** Pixel → data value. */
  toValue: (pixel: number) => number;
}

/** Linear or log₁₀ map of [domainMin, domainMax] onto [pixelStart, pixelEnd] (pixelEnd < pixelStart for y). */
export function makeScale(
  [domainMin, domainMax]: [number, number],
  [pixelStart, pixelEnd]: [number, number],
  isLog = false,
): Scale {
  const forward = isLog ? (v: number) => (v > 0 ? Math.log10(v) : NaN) : (v: number) => v;
  const inverse = isLog ? (v: number) => 10 ** v : (v: number) => v;
  const lo = forward(domainMin);
  const span = forward(domainMax) - lo || 1;
  const pixels = pixelEnd - pixelStart;
  return {
    toPixel: (value) => pixelStart + ((forward(value) - lo) / span) * pixels,
    toValue: (pixel) => inverse(lo + ((pixel - pixelStart) / pixels) * span),
  };
}

/** Index of the x nearest `x` in xs sorted ascending; -1 for none. */
export function nearestIndexByX(xs: ArrayLike<number>, x: number): number {
  if (!xs.length) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x)) return lo - 1;
  return lo;
}

export interface NearestPoint {
  seriesIndex: number;
  x: number;
  y: number;
  /** Pixel position of the point. */
  px: number;
  py: number;
}

/**
 * The drawn sample nearest the pointer: per series the sample nearest in x, then the one nearest in
 * y among those within `maxXPixels` horizontally. Gaps (NaN) and undrawable values never match.
 */
export function nearestPoint(
  series: readonly DenseSeries[],
  pointer: { px: number; py: number },
  x: Scale,
  y: Scale,
  maxXPixels = 24,
): NearestPoint | null {
  const target = x.toValue(pointer.px);
  let best: NearestPoint | null = null;
  let bestDistance = Infinity;
  series.forEach((line, seriesIndex) => {
    const index = nearestIndexByX(line.x, target);
    if (index < 0) return;
    for (const candidate of [index - 1, index, index + 1]) {
      if (candidate < 0 || candidate >= line.y.length || !Number.isFinite(line.y[candidate])) continue;
      const px = x.toPixel(line.x[candidate]);
      const py = y.toPixel(line.y[candidate]);
      if (!Number.isFinite(py) || Math.abs(px - pointer.px) > maxXPixels) continue;
      const distance = Math.hypot(px - pointer.px, py - pointer.py);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = { seriesIndex, x: line.x[candidate], y: line.y[candidate], px, py };
      }
    }
  });
  return best;
}

/** "6 3" → [6, 3] for CanvasRenderingContext2D.setLineDash; undefined (solid) → []. */
export function parseDash(dash: string | undefined): number[] {
  return dash ? dash.split(/\s+/).map(Number).filter(Number.isFinite) : [];
}
