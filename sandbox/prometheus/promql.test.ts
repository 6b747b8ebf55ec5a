import { describe, expect, it } from "vitest";
import { matches, parseDurationSeconds, parsePromQL, typeOf } from "./promql";

const parseError = (query: string) => {
  try {
    parsePromQL(query);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${query} not to parse`);
};

describe("parsePromQL", () => {
  it("parses the latency quantile form with grouping before or after the aggregation", () => {
    const before = parsePromQL(
      'histogram_quantile(0.95, sum by (le, revision_name) (rate(revision_app_request_latencies_bucket{namespace_name="models", revision_name=~"churn-.*"}[5m])))',
    );
    const after = parsePromQL(
      'histogram_quantile(0.95, sum(rate(revision_app_request_latencies_bucket{namespace_name="models", revision_name=~"churn-.*"}[5m])) by (le, revision_name))',
    );
    expect(before).toEqual(after);
    expect(before).toEqual({
      kind: "call",
      func: "histogram_quantile",
      args: [
        { kind: "number", value: 0.95 },
        {
          kind: "aggregate",
          op: "sum",
          grouping: { without: false, labels: ["le", "revision_name"] },
          expr: {
            kind: "call",
            func: "rate",
            args: [
              {
                kind: "selector",
                name: "revision_app_request_latencies_bucket",
                matchers: [
                  { name: "namespace_name", op: "=", value: "models" },
                  { name: "revision_name", op: "=~", value: "churn-.*" },
                ],
                rangeSeconds: 300,
              },
            ],
          },
        },
      ],
    });
  });

  it("parses the error share as a division of two aggregations, with precedence and matching", () => {
    const expr = parsePromQL(
      'sum(rate(revision_app_request_count{response_code_class="5xx"}[1m])) / sum(rate(revision_app_request_count[1m])) * 100',
    );
    expect(expr).toMatchObject({
      kind: "binary",
      op: "*",
      lhs: { kind: "binary", op: "/" },
      rhs: { kind: "number", value: 100 },
    });
    expect(parsePromQL("a - b - c")).toMatchObject({
      op: "-",
      lhs: { op: "-", lhs: { name: "a" }, rhs: { name: "b" } },
      rhs: { name: "c" },
    });
    expect(parsePromQL("sum by (x) (rate(a[5m])) / on (x) sum by (x) (rate(b[5m]))")).toMatchObject({
      matching: { on: true, labels: ["x"] },
    });
    expect(parsePromQL("-1 + 2")).toMatchObject({ kind: "binary", lhs: { kind: "number", value: -1 } });
  });

  it("reads every matcher operator, all three quote styles and escapes", () => {
    const expr = parsePromQL(`m{a="x\\"y", b!='z', c=~\`p.*\`, d!~"q|r"}`);
    expect(expr).toMatchObject({
      kind: "selector",
      matchers: [
        { name: "a", op: "=", value: 'x"y' },
        { name: "b", op: "!=", value: "z" },
        { name: "c", op: "=~", value: "p.*" },
        { name: "d", op: "!~", value: "q|r" },
      ],
    });
    expect(parsePromQL('{__name__="up", job="x"}')).toMatchObject({ kind: "selector", name: "" });
  });

  it("types expressions", () => {
    expect(typeOf(parsePromQL("1 + 2"))).toBe("scalar");
    expect(typeOf(parsePromQL("up"))).toBe("vector");
    expect(typeOf(parsePromQL("up[5m]"))).toBe("matrix");
    expect(typeOf(parsePromQL("rate(up[5m]) * 2"))).toBe("vector");
  });

  it("reports errors in Prometheus' format with the position", () => {
    expect(parseError("")).toBe("1:1: parse error: no expression found in input");
    expect(parseError("sum(rate(x[5m])")).toMatch(/^1:16: parse error: unexpected end of input/);
    expect(parseError("rate(x)")).toBe(
      '1:1: parse error: expected type range vector in call to function "rate", got instant vector',
    );
    expect(parseError("histogram_quantile(0.9)")).toMatch(/expected 2 argument/);
    expect(parseError("sum(x[5m])")).toBe(
      "1:1: parse error: expected type instant vector in aggregation expression, got range vector",
    );
    expect(parseError("frobnicate(x)")).toBe('1:1: parse error: unknown function with name "frobnicate"');
    expect(parseError('x{a="1"} + \n y{')).toMatch(/^2:4: parse error/);
    expect(parseError('{a=""}')).toMatch(/at least one non-empty matcher/);
    expect(parseError('x{a=~"("}')).toMatch(/invalid regular expression/);
  });

  it("refuses what the subset does not implement instead of guessing", () => {
    for (const [query, what] of [
      ["irate(x[5m])", 'function "irate"'],
      ["topk(3, x)", 'aggregation "topk"'],
      ["x offset 5m", "offset modifier"],
      ["x > 1", 'operator ">"'],
      ["x or y", 'operator "or"'],
      ["rate(x[5m:1m])", "subqueries"],
      ["a / on (x) group_left b", "group_left"],
    ] as const) {
      expect(parseError(query)).toContain(`${what}`);
    }
  });
});

describe("matches and durations", () => {
  it("anchors regular expressions at both ends", () => {
    expect(matches({ name: "x", op: "=~", value: "churn" }, "churn-classifier")).toBe(false);
    expect(matches({ name: "x", op: "=~", value: "churn.*" }, "churn-classifier")).toBe(true);
    expect(matches({ name: "x", op: "!~", value: "a|b" }, "b")).toBe(false);
    expect(matches({ name: "x", op: "!=", value: "" }, "")).toBe(false);
  });

  it("parses Prometheus durations", () => {
    expect(parseDurationSeconds("5m")).toBe(300);
    expect(parseDurationSeconds("1h30m")).toBe(5400);
    expect(parseDurationSeconds("250ms")).toBe(0.25);
    expect(parseDurationSeconds("5")).toBeUndefined();
    expect(parseDurationSeconds("5x")).toBeUndefined();
  });
});
