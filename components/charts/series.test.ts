import { describe, expect, it } from "vitest";
import { sparklinePath } from "./sparkline";
import type { ChartSeries } from "@/lib/domain/charts/series";
import { mergeSeriesByX, seriesKey, summarizeSeries, xExtent, summarizeDense, denseXExtent } from "./series";
import { seriesStyle } from "./palette";

describe("summarizeSeries", () => {
  it("ignores gaps and non-finite samples", () => {
    expect(
      summarizeSeries([
        { x: 0, y: null },
        { x: 1, y: 3 },
        { x: 2, y: Number.NaN },
        { x: 3, y: 1 },
        { x: 4, y: 2 },
      ]),
    ).toEqual({ count: 3, first: 3, last: 2, min: 1, max: 3 });
  });

  it("reports an empty series as all null", () => {
    expect(summarizeSeries([])).toEqual({ count: 0, first: null, last: null, min: null, max: null });
  });
});

describe("mergeSeriesByX", () => {
  const series: ChartSeries[] = [
    {
      id: "a",
      label: "run a",
      points: [
        { x: 0, y: 1 },
        { x: 10, y: 0.5 },
        { x: 20, y: 0.25 },
      ],
    },
    {
      id: "b",
      label: "run b",
      points: [
        { x: 0, y: 2 },
        { x: 15, y: -1 },
      ],
    },
  ];

  it("lines up series by x (not by index) and keeps every point once", () => {
    expect(mergeSeriesByX(series)).toEqual([
      { x: 0, s0: 1, s1: 2 },
      { x: 10, s0: 0.5 },
      { x: 15, s1: -1 },
      { x: 20, s0: 0.25 },
    ]);
  });

  it("turns points the axis cannot draw into gaps", () => {
    const merged = mergeSeriesByX(series, (point) => point.y === null || point.y > 0);
    expect(merged.find((row) => row.x === 15)?.[seriesKey(1)]).toBeNull();
  });

  it("finds the x extent", () => {
    expect(xExtent(series)).toEqual({ min: 0, max: 20 });
    expect(xExtent([])).toBeNull();
  });
});

describe("seriesStyle", () => {
  it("gives the first six series distinct colours and distinct dashes", () => {
    const styles = Array.from({ length: 6 }, (_, index) => seriesStyle(index));
    expect(new Set(styles.map((style) => style.color)).size).toBe(6);
    expect(new Set(styles.map((style) => style.dash ?? "solid")).size).toBe(6);
  });

  it("varies the dash when colours repeat", () => {
    expect(seriesStyle(6).color).toBe(seriesStyle(0).color);
    expect(seriesStyle(6).dash).not.toBe(seriesStyle(0).dash);
  });
});

describe("sparklinePath", () => {
  it("scales samples into the box with the maximum at the top", () => {
    expect(sparklinePath([0, 5, 10], 100, 24, 2)).toBe("M0 22 L50 12 L100 2");
  });

  it("starts a new segment after a gap", () => {
    expect(sparklinePath([1, null, 3, 2], 30, 10, 0)).toBe("M0 10 M20 0 L30 5");
  });

  it("draws a flat series through the middle and nothing for no data", () => {
    expect(sparklinePath([4, 4], 10, 10, 1)).toBe("M0 5 L10 5");
    expect(sparklinePath([null], 10, 10, 1)).toBe("");
  });
});

describe("summarizeDense / denseXExtent", () => {
  it("summarizes a y column with NaN gaps and takes each sorted line's ends as the x extent", () => {
    expect(summarizeDense(Float64Array.from([NaN, 3, 1, NaN, 2]))).toEqual({
      count: 3,
      first: 3,
      last: 2,
      min: 1,
      max: 3,
    });
    expect(summarizeDense(new Float64Array())).toEqual({
      count: 0,
      first: null,
      last: null,
      min: null,
      max: null,
    });
    const line = (x: number[]) => ({
      id: "a",
      label: "a",
      x: Float64Array.from(x),
      y: new Float64Array(x.length),
    });
    expect(denseXExtent([line([5, 10]), line([]), line([-2, 7])])).toEqual({ min: -2, max: 10 });
    expect(denseXExtent([line([])])).toBeNull();
  });
});
