import { describe, expect, it } from "vitest";
import { makeScale, nearestIndexByX, nearestPoint, parseDash } from "./canvas-plot";

describe("makeScale", () => {
  it("maps a linear domain onto pixels, y upwards, and back", () => {
    const y = makeScale([0, 10], [200, 0]);
    expect(y.toPixel(0)).toBe(200);
    expect(y.toPixel(10)).toBe(0);
    expect(y.toPixel(2.5)).toBe(150);
    expect(y.toValue(150)).toBe(2.5);
  });

  it("maps decades evenly on a log axis and cannot place a non-positive value", () => {
    const y = makeScale([0.001, 1], [300, 0], true);
    expect(y.toPixel(0.001)).toBeCloseTo(300);
    expect(y.toPixel(0.01)).toBeCloseTo(200);
    expect(y.toPixel(1)).toBeCloseTo(0);
    expect(y.toValue(100)).toBeCloseTo(0.1);
    expect(y.toPixel(0)).toBeNaN();
    expect(y.toPixel(-1)).toBeNaN();
  });
});

describe("nearestIndexByX", () => {
  const points = [0, 10, 20, 40];
  it("finds the nearest x on either side, and the ends beyond the range", () => {
    expect(nearestIndexByX(points, 4)).toBe(0);
    expect(nearestIndexByX(points, 6)).toBe(1);
    expect(nearestIndexByX(points, 31)).toBe(3);
    expect(nearestIndexByX(points, -5)).toBe(0);
    expect(nearestIndexByX(points, 99)).toBe(3);
    expect(nearestIndexByX([], 1)).toBe(-1);
  });
});

describe("nearestPoint", () => {
  const x = makeScale([0, 100], [0, 100]);
  const y = makeScale([0, 100], [100, 0]);
  const xs = Float64Array.from([0, 50, 100]);
  const series = [
    { id: "a", label: "a", x: xs, y: Float64Array.from([10, 10, 10]) },
    { id: "b", label: "b", x: xs, y: Float64Array.from([80, 80, 80]) },
    { id: "gap", label: "gap", x: Float64Array.from([50]), y: Float64Array.from([NaN]) },
  ];

  it("picks the sample nearest the pointer across series", () => {
    expect(nearestPoint(series, { px: 52, py: 25 }, x, y)?.seriesIndex).toBe(1);
    expect(nearestPoint(series, { px: 48, py: 85 }, x, y)).toMatchObject({
      seriesIndex: 0,
      x: 50,
      y: 10,
      px: 50,
      py: 90,
    });
  });

  it("never matches a gap, nor a sample far from the pointer horizontally", () => {
    expect(nearestPoint([series[2]], { px: 50, py: 50 }, x, y)).toBeNull();
    expect(nearestPoint(series, { px: 25, py: 90 }, x, y, 10)).toBeNull();
  });
});

describe("parseDash", () => {
  it("turns an SVG dasharray into canvas segments; solid is none", () => {
    expect(parseDash("10 3 2 3")).toEqual([10, 3, 2, 3]);
    expect(parseDash(undefined)).toEqual([]);
  });
});
