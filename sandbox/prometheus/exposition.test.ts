import { describe, expect, it } from "vitest";
import { renderExposition } from "./exposition";
import { TrafficGenerator } from "./traffic";

describe("renderExposition", () => {
  const now = 1_800_000_007;
  const generator = new TrafficGenerator(3);
  generator.backfill(
    now,
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
  const text = renderExposition(generator.refs(), generator.generatedUntil);
  const lines = text.trimEnd().split("\n");

  it("groups each family under its HELP and TYPE, with the real metric types", () => {
    const types = lines.filter((l) => l.startsWith("# TYPE"));
    expect(types).toEqual([
      "# TYPE revision_app_request_latencies histogram",
      "# TYPE revision_app_request_count counter",
      "# TYPE request_predict_seconds histogram",
    ]);
    const families = lines
      .filter((l) => !l.startsWith("#"))
      .map((l) =>
        l
          .split("{")[0]
          .replace(/_(bucket|sum|count)$/, "")
          .replace(/^revision_app_request$/, "revision_app_request_count"),
      );
    // Contiguous: a family never reappears after another started.
    expect(families.filter((f, i) => f !== families[i - 1])).toEqual([
      "revision_app_request_latencies",
      "revision_app_request_count",
      "request_predict_seconds",
    ]);
  });

  it("publishes the latest 15 s boundary with its timestamp and the total since start", () => {
    const boundary = Math.floor(now / 15) * 15;
    const inf = lines.find(
      (l) =>
        l.startsWith("revision_app_request_latencies_bucket{") &&
        l.includes('response_code_class="2xx"') &&
        l.includes('le="+Inf"'),
    )!;
    const count = lines.find(
      (l) => l.startsWith("revision_app_request_count{") && l.includes('response_code_class="2xx"'),
    )!;
    expect(inf.split(" ").at(-1)).toBe(String(boundary * 1000));
    expect(Number(count.split(" ")[1])).toBeGreaterThan(100);
    expect(count.split(" ")[1]).toBe(inf.split(" ")[1]);
    expect(
      lines.some(
        (l) =>
          l.startsWith("request_predict_seconds_bucket{") &&
          l.includes('le="0.005"') &&
          l.includes('model_name="svc"'),
      ),
    ).toBe(true);
  });

  it("publishes nothing for a revision no longer served", () => {
    generator.advance(now + 60, []);
    expect(renderExposition(generator.refs(), generator.generatedUntil)).toBe("");
  });
});
