"use client";

import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { DenseSeries } from "@/lib/domain/charts/series";
import { useTimeZone } from "@/components/ui/date-time";
import { lineChartAxes } from "./axes";
import {
  makeScale,
  nearestPoint,
  parseDash,
  type NearestPoint,
  type PlotBox,
  type Scale,
} from "./canvas-plot";
import { manyLinesSummary, SeriesValuesTable } from "./line-text-alternative";
import { ChartFrame, type ChartPanelProps } from "./chart-frame";
import { ChartTooltipCard } from "./chart-tooltip";
import { formatAxisValue, formatChartValue, formatXValue, type ChartUnit, type XKind } from "./format";
import { SERIES_COLOR_COUNT, seriesStyle } from "./palette";

export interface DenseLineChartPanelProps extends ChartPanelProps {
  /** Prepared series as columns, sorted by x; up to a few hundred lines of a few hundred points each. */
  series: DenseSeries[];
  xKind: XKind;
  unit?: ChartUnit;
  /** Log y axis; non-positive samples cannot be drawn and become gaps. */
  isLogScale?: boolean;
  /** Style index of a series (so a run keeps its colour and dash in every chart of a page); defaults to its position. */
  styleIndexOf?: (seriesId: string) => number;
  /** A series to pick out (drawn last and thicker, the others faded), e.g. chosen in a page's shared legend. */
  highlightedId?: string | null;
  /** Legend entries per chart; off where the page shows one legend for all its charts. */
  hasLegend?: boolean;
}

const margin = { top: 8, right: 12, bottom: 22, left: 60 };
const font = "11px ui-sans-serif, system-ui, sans-serif";

interface Theme {
  series: string[];
  grid: string;
  text: string;
}

/** Theme tokens resolved for the canvas (it cannot read var()); read again when the colour scheme changes. */
function readTheme(element: Element): Theme {
  const style = getComputedStyle(element);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: Array.from({ length: SERIES_COLOR_COUNT }, (_, i) => token(`--sb-chart-${i + 1}`, "#0072b2")),
    grid: token("--sb-line", "#e2e5ea"),
    text: token("--sb-fg-muted", "#4a5260"),
  };
}

/** Above this many lines a chart draws them one device pixel wide. */
const denseLineCount = 12;

/**
 * Line chart drawn on a canvas: the comparison page's metric charts, where 100 runs × 20 metrics ×
 * 160 points would be 2,000 SVG paths and 320,000 Recharts row cells (docs/decisions/017). Same frame,
 * round ticks and text alternative as LineChartPanel; the picture is one canvas per chart, hidden from
 * assistive technology like the SVG is, with a hover card for the nearest sample.
 */
export function DenseLineChartPanel({
  series,
  xKind,
  unit,
  isLogScale = false,
  styleIndexOf,
  highlightedId = null,
  hasLegend = true,
  ...panel
}: DenseLineChartPanelProps) {
  const { title } = panel;
  const timeZone = useTimeZone();
  const axes = useMemo(
    () => lineChartAxes(series, { xKind, isLogScale, unit, timeZone }),
    [series, xKind, isLogScale, unit, timeZone],
  );
  const { summaries, extent, span } = axes;
  const isEmpty = summaries.every((item) => item.count === 0);
  const styleIndex = useCallback(
    (line: DenseSeries, index: number) => (styleIndexOf ? styleIndexOf(line.id) : index),
    [styleIndexOf],
  );
  // The description is short and the per-series table is built only when asked for: at 100 runs ×
  // 20 charts, tables kept in the DOM were 2,000 rows laid out unseen (docs/decisions/017).
  const text = { title, series, summaries, extent, span, xKind, unit, timeZone };
  const generatedSummary = useMemo(
    () => manyLinesSummary({ title, series, summaries, extent, span, xKind, unit, timeZone }),
    [title, series, summaries, extent, span, xKind, unit, timeZone],
  );

  return (
    <ChartFrame
      {...panel}
      generatedSummary={generatedSummary}
      legend={
        hasLegend
          ? series.map((line, index) => ({
              label: line.label,
              ...seriesStyle(styleIndex(line, index)),
              swatch: "line" as const,
              value: formatChartValue(summaries[index].last, unit),
            }))
          : []
      }
      renderDataTable={() => <SeriesValuesTable {...text} />}
      isEmpty={isEmpty}
    >
      <CanvasPlot
        series={series}
        axes={axes}
        xKind={xKind}
        unit={unit}
        isLogScale={isLogScale}
        styleIndex={styleIndex}
        highlightedId={highlightedId}
      />
    </ChartFrame>
  );
}

interface CanvasPlotProps {
  series: DenseSeries[];
  axes: ReturnType<typeof lineChartAxes>;
  xKind: XKind;
  unit?: ChartUnit;
  isLogScale: boolean;
  styleIndex: (line: DenseSeries, index: number) => number;
  highlightedId: string | null;
}

interface Geometry {
  box: PlotBox;
  x: Scale;
  y: Scale;
}

function CanvasPlot({ series, axes, xKind, unit, isLogScale, styleIndex, highlightedId }: CanvasPlotProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const geometryRef = useRef<Geometry | null>(null);
  const [hover, setHover] = useState<(NearestPoint & { width: number }) | null>(null);
  const sizeRef = useRef({ width: 0, height: 0 });
  const drawRef = useRef(() => {});

  // Drawn straight from the columns in the commit's layout effect, so every chart of the page is on
  // its canvas in the frame the data arrives in; size and colour-scheme changes redraw without a render.
  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (!canvas || !container) return;
    const width = container.clientWidth;
    const height = container.clientHeight;
    sizeRef.current = { width, height };
    if (width <= 0 || height <= 0) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const theme = readTheme(canvas);
    const { extent, xTicks, yTicks, yLabels, logRange, yMin, yMax, span } = axes;
    const box: PlotBox = {
      left: margin.left,
      top: margin.top,
      width: Math.max(1, width - margin.left - margin.right),
      height: Math.max(1, height - margin.top - margin.bottom),
    };
    // The y domain reaches the outer ticks when they lie beyond the data, as the SVG chart's does.
    const yDomain: [number, number] = logRange ?? [
      Math.min(yMin, yTicks[0] ?? yMin),
      Math.max(yMax, yTicks.at(-1) ?? yMax),
    ];
    if (yDomain[0] === yDomain[1]) yDomain[1] = yDomain[0] + 1;
    const x = makeScale(
      extent ? [extent.min, extent.max === extent.min ? extent.min + 1 : extent.max] : [0, 1],
      [box.left, box.left + box.width],
    );
    const y = makeScale(yDomain, [box.top + box.height, box.top], isLogScale && logRange !== null);
    geometryRef.current = { box, x, y };

    context.font = font;
    context.lineWidth = 1;
    context.strokeStyle = theme.grid;
    context.fillStyle = theme.text;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const tick of yTicks) {
      const py = Math.round(y.toPixel(tick)) + 0.5;
      if (!Number.isFinite(py)) continue;
      context.beginPath();
      context.moveTo(box.left, py);
      context.lineTo(box.left + box.width, py);
      context.stroke();
      context.fillText(yLabels.get(tick) ?? formatAxisValue(tick, unit), box.left - 6, py);
    }
    context.textAlign = "center";
    context.textBaseline = "top";
    let lastLabelEnd = -Infinity;
    for (const tick of xTicks) {
      const px = x.toPixel(tick);
      const label = formatXValue(tick, xKind, span, { timeZone: axes.timeZone });
      const half = context.measureText(label).width / 2;
      if (px - half < lastLabelEnd + 8) continue;
      context.fillText(label, px, box.top + box.height + 6);
      lastLabelEnd = px + half;
    }

    context.save();
    context.beginPath();
    context.rect(box.left, box.top - 2, box.width, box.height + 4);
    context.clip();
    context.lineJoin = "round";
    // Many lines are one device pixel wide: Skia strokes those as hairlines, 4–5× faster to raster
    // than 1.5 px (docs/decisions/017), and a hundred overlapping curves read better thin.
    const lineWidth = series.length > denseLineCount ? 1 / ratio : 1.5;
    const order = series.map((_, index) => index);
    const highlighted = highlightedId === null ? -1 : series.findIndex((line) => line.id === highlightedId);
    if (highlighted >= 0) order.push(...order.splice(highlighted, 1));
    for (const index of order) {
      const line = series[index];
      const style = styleIndex(line, index);
      context.strokeStyle = theme.series[style % SERIES_COLOR_COUNT];
      context.globalAlpha = highlighted < 0 || index === highlighted ? 1 : 0.18;
      context.lineWidth = index === highlighted ? 2.5 : lineWidth;
      context.setLineDash(parseDash(seriesStyle(style).dash));
      context.beginPath();
      let isDrawing = false;
      const { x: xs, y: ys } = line;
      for (let i = 0; i < ys.length; i++) {
        const py = y.toPixel(ys[i]);
        if (!Number.isFinite(py)) {
          isDrawing = false;
          continue;
        }
        const px = x.toPixel(xs[i]);
        if (isDrawing) context.lineTo(px, py);
        else context.moveTo(px, py);
        isDrawing = true;
      }
      context.stroke();
    }
    context.restore();
    canvas.dataset.drawn = "true";
  }, [series, axes, xKind, unit, isLogScale, styleIndex, highlightedId]);

  useLayoutEffect(() => {
    drawRef.current = draw;
    draw();
  }, [draw]);

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    // The observer also reports the size the chart was just drawn at; only a change redraws.
    const observer = new ResizeObserver(() => {
      const { width, height } = sizeRef.current;
      if (container.clientWidth !== width || container.clientHeight !== height) drawRef.current();
    });
    observer.observe(container);
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    const redraw = () => drawRef.current();
    scheme.addEventListener("change", redraw);
    return () => {
      observer.disconnect();
      scheme.removeEventListener("change", redraw);
    };
  }, []);

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const geometry = geometryRef.current;
    if (!geometry) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const pointer = { px: event.clientX - rect.left, py: event.clientY - rect.top };
    const { box } = geometry;
    const isInside =
      pointer.px >= box.left &&
      pointer.px <= box.left + box.width &&
      pointer.py >= box.top &&
      pointer.py <= box.top + box.height;
    const nearest = isInside ? nearestPoint(series, pointer, geometry.x, geometry.y) : null;
    setHover(nearest && { ...nearest, width: rect.width });
  };

  const hovered = hover ? series[hover.seriesIndex] : undefined;
  const hoveredStyle = hover && hovered ? seriesStyle(styleIndex(hovered, hover.seriesIndex)) : undefined;
  return (
    <div ref={containerRef} className="relative size-full">
      <canvas
        ref={canvasRef}
        className="block size-full"
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(null)}
      />
      {hover && hovered && hoveredStyle && (
        <>
          <span
            className="pointer-events-none absolute size-2 -translate-x-1/2 -translate-y-1/2 rounded-full border border-surface"
            style={{ left: hover.px, top: hover.py, background: hoveredStyle.color }}
          />
          <div
            className="pointer-events-none absolute z-10"
            style={{
              left: hover.px > hover.width / 2 ? undefined : hover.px + 12,
              right: hover.px > hover.width / 2 ? hover.width - hover.px + 12 : undefined,
              top: Math.max(0, hover.py - 48),
            }}
          >
            <ChartTooltipCard
              heading={formatXValue(hover.x, xKind, axes.span, {
                isFull: true,
                timeZone: axes.timeZone,
              })}
              rows={[
                {
                  key: hovered.id,
                  label: hovered.label,
                  color: hoveredStyle.color,
                  value: formatChartValue(hover.y, unit),
                  swatch: "line",
                },
              ]}
            />
          </div>
        </>
      )}
    </div>
  );
}
