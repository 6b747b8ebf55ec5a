import { describe, expect, it } from "vitest";
import { manyLinesSummary } from "./line-text-alternative";

describe("manyLinesSummary", () => {
  const input = {
    title: "val/loss",
    series: [
      { id: "a", label: "sweep-a" },
      { id: "b", label: "sweep-b" },
      { id: "c", label: "sweep-c" },
    ],
    summaries: [
      { count: 2, first: 1, last: 0.5, min: 0.5, max: 1 },
      { count: 2, first: 1, last: 0.25, min: 0.25, max: 1 },
      { count: 0, first: null, last: null, min: null, max: null },
    ],
    extent: { min: 0, max: 2000 },
    span: 2000,
    xKind: "step" as const,
    timeZone: "UTC",
  };

  it("says how many lines, over what range, and which end lowest and highest", () => {
    expect(manyLinesSummary(input)).toMatch(
      /^val\/loss: 3 series from .*0 to .*2,000\. Latest values from 0\.25 \(sweep-b\) to 0\.5 \(sweep-a\)\. /,
    );
  });

  it("leaves the latest values out when no line has a sample", () => {
    const empty = manyLinesSummary({
      ...input,
      summaries: [input.summaries[2], input.summaries[2], input.summaries[2]],
    });
    expect(empty).not.toMatch(/Latest/);
  });
});
