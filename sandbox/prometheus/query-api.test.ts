import { describe, expect, it } from "vitest";
import { bucketQuantile } from "./evaluate";
import { BadData, formatValue, instantQuery, parseDuration, parseTime, rangeQuery } from "./query-api";
import { TrafficGenerator } from "./traffic";

const badData = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadData) return error.message;
    throw error;
  }
  throw new Error("expected bad_data");
};

describe("parameters", () => {
  it("parses times as unix seconds or RFC 3339, with Prometheus' messages", () => {
    expect(parseTime("1700000000.5", "start")).toBe(1700000000.5);
    expect(parseTime("2026-11-26T10:00:00Z", "start")).toBe(Date.parse("2026-11-26T10:00:00Z") / 1000);
    expect(parseTime("2026-11-26T10:00:00.250+01:00", "end")).toBe(
      Date.parse("2026-11-26T09:00:00.250Z") / 1000,
    );
    expect(badData(() => parseTime("", "start"))).toBe(
      'invalid parameter "start": cannot parse "" to a valid timestamp',
    );
    expect(badData(() => parseTime("yesterday", "end"))).toBe(
      'invalid parameter "end": cannot parse "yesterday" to a valid timestamp',
    );
  });

  it("parses steps as seconds or durations", () => {
    expect(parseDuration("15", "step")).toBe(15);
    expect(parseDuration("0.5", "step")).toBe(0.5);
    expect(parseDuration("1m30s", "step")).toBe(90);
    expect(badData(() => parseDuration("abc", "step"))).toBe(
      'invalid parameter "step": cannot parse "abc" to a valid duration',
    );
  });

  it("formats values like Go's strconv.FormatFloat(v, 'f', -1, 64)", () => {
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(Infinity)).toBe("+Inf");
    expect(formatValue(-Infinity)).toBe("-Inf");
    expect(formatValue(0.25)).toBe("0.25");
    expect(formatValue(1e-7)).toBe("0.0000001");
    expect(formatValue(-1.5e-8)).toBe("-0.000000015");
    expect(formatValue(1e21)).toBe("1000000000000000000000");
    expect(formatValue(12)).toBe("12");
  });
});

describe("range and instant queries", () => {
  const empty = { refs: () => [], generatedUntil: 1_000_000 };

  it("allows 11,001 points and refuses 11,002 with Prometheus' exact message", () => {
    expect(rangeQuery({ query: "1", start: "0", end: "11000", step: "1" }, empty).resultType).toBe("matrix");
    expect(badData(() => rangeQuery({ query: "1", start: "0", end: "11001", step: "1" }, empty))).toBe(
      "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
  });

  it("validates in Prometheus' order", () => {
    expect(badData(() => rangeQuery({ query: "1", start: "10", end: "5", step: "1" }, empty))).toBe(
      'invalid parameter "end": end timestamp must not be before start time',
    );
    expect(badData(() => rangeQuery({ query: "1", start: "0", end: "5", step: "0" }, empty))).toBe(
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    expect(badData(() => rangeQuery({ query: "rate(", start: "0", end: "5", step: "1" }, empty))).toMatch(
      /^invalid parameter "query": 1:6: parse error/,
    );
    expect(badData(() => rangeQuery({ query: "x[5m]", start: "0", end: "5", step: "1" }, empty))).toBe(
      'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
  });

  it("returns scalars as a matrix in range queries and a scalar in instant ones", () => {
    expect(rangeQuery({ query: "2 * 3", start: "0", end: "30", step: "15" }, empty)).toEqual({
      resultType: "matrix",
      result: [
        {
          metric: {},
          values: [
            [0, "6"],
            [15, "6"],
            [30, "6"],
          ],
        },
      ],
    });
    expect(instantQuery({ query: "1 / 0", time: "100" }, empty, 0)).toEqual({
      resultType: "scalar",
      result: [100, "+Inf"],
    });
    expect(instantQuery({ query: "vector(0) / 0" }, empty, 42.5)).toEqual({
      resultType: "vector",
      result: [{ metric: {}, value: [42.5, "NaN"] }],
    });
  });

  it("computes rate() from the generated counts", () => {
    const generator = new TrafficGenerator(7);
    const now = 1_800_000_000;
    generator.backfill(
      now,
      1,
      [
        {
          namespace: "models",
          name: "svc",
          at: 0,
          split: [{ revisionName: "svc-predictor-00001", percent: 100 }],
        },
      ],
      [],
    );
    const source = { refs: () => generator.refs(), generatedUntil: generator.generatedUntil };
    const end = Math.floor(now / 15) * 15 - 60;
    const counts = generator.counts("svc-predictor-00001", "models", end - 300, end, "fine")!;
    expect(counts.slots).toHaveLength(20);
    const expected =
      counts.slots.reduce(
        (total, slot) => total + slot.requests["2xx"] + slot.requests["4xx"] + slot.requests["5xx"],
        0,
      ) / 300;
    const result = instantQuery(
      {
        query: 'sum(rate(revision_app_request_count{revision_name="svc-predictor-00001"}[5m]))',
        time: String(end),
      },
      source,
      end,
    );
    expect(result.resultType).toBe("vector");
    const value = Number((result as { result: Array<{ value: [number, string] }> }).result[0].value[1]);
    expect(expected).toBeGreaterThan(0);
    expect(value).toBeCloseTo(expected, 9);
  });

  it("rejects duplicate right-hand series as an execution error", () => {
    const generator = new TrafficGenerator(7);
    generator.backfill(
      1_800_000_000,
      0.01,
      [
        {
          namespace: "models",
          name: "svc",
          at: 0,
          split: [{ revisionName: "svc-predictor-00001", percent: 100 }],
        },
      ],
      [],
    );
    const source = { refs: () => generator.refs(), generatedUntil: generator.generatedUntil };
    expect(() =>
      instantQuery(
        { query: "sum(rate(revision_app_request_count[1m])) / rate(revision_app_request_count[1m])" },
        source,
        1_800_000_000,
      ),
    ).not.toThrow();
    expect(() =>
      instantQuery({ query: "vector(1) / on() rate(revision_app_request_count[1m])" }, source, 1_800_000_000),
    ).toThrow(/duplicate series/);
  });
});

describe("bucketQuantile", () => {
  const buckets = [
    { upperBound: 10, count: 50 },
    { upperBound: 20, count: 90 },
    { upperBound: Infinity, count: 100 },
  ];

  it("interpolates linearly inside the bucket holding the rank", () => {
    expect(bucketQuantile(0.5, buckets)).toBe(10);
    expect(bucketQuantile(0.7, buckets)).toBe(15);
    expect(bucketQuantile(0.25, buckets)).toBe(5);
  });

  it("answers the highest finite bound for the +Inf bucket and NaN without observations", () => {
    expect(bucketQuantile(0.99, buckets)).toBe(20);
    expect(
      bucketQuantile(
        0.5,
        buckets.map((b) => ({ ...b, count: 0 })),
      ),
    ).toBeNaN();
    expect(bucketQuantile(0.5, buckets.slice(0, 2))).toBeNaN();
    expect(bucketQuantile(1.5, buckets)).toBe(Infinity);
    expect(bucketQuantile(-1, buckets)).toBe(-Infinity);
  });
});
