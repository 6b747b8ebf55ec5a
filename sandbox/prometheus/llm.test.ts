import { describe, expect, it } from "vitest";
import { renderExposition } from "./exposition";
import { instantQuery } from "./query-api";
import { TrafficGenerator } from "./traffic";

describe("an LLM revision's vLLM and DCGM series", () => {
  const now = 1_800_000_000;
  const services = [
    {
      namespace: "models",
      name: "assistant",
      modelFormat: "huggingface",
      revisions: [
        {
          name: "assistant-predictor-00001",
          percent: 100,
          endpoint: "default" as const,
          modelFormat: "huggingface",
        },
      ],
    },
  ];
  const history = [
    {
      namespace: "models",
      name: "assistant",
      at: 0,
      split: [{ revisionName: "assistant-predictor-00001", percent: 100 }],
    },
  ];
  const query = (generator: TrafficGenerator, q: string) =>
    instantQuery(
      { query: q },
      { refs: () => generator.refs(), generatedUntil: generator.generatedUntil },
      generator.generatedUntil,
    );
  const valueOf = (generator: TrafficGenerator, q: string) => {
    const data = query(generator, q) as { result: Array<{ value: [number, string] }> };
    return Number(data.result[0]?.value[1]);
  };

  it("exposes the upstream names with their types, gauges as gauges", () => {
    const generator = new TrafficGenerator(5);
    generator.backfill(now, 0.05, history, services as never);
    const text = renderExposition(generator.refs(), generator.generatedUntil);
    for (const line of [
      "# TYPE vllm:time_to_first_token_seconds histogram",
      "# TYPE vllm:time_per_output_token_seconds histogram",
      "# TYPE vllm:generation_tokens_total counter",
      "# TYPE vllm:num_requests_waiting gauge",
      "# TYPE vllm:num_requests_running gauge",
      "# TYPE DCGM_FI_DEV_GPU_UTIL gauge",
      "# TYPE DCGM_FI_DEV_FB_USED gauge",
    ])
      expect(text).toContain(line);
    expect(text).toMatch(
      /vllm:time_to_first_token_seconds_bucket\{model_name="assistant",namespace="models",pod="assistant-predictor-00001-deployment-[a-z0-9]+-[a-z0-9]+",le="0\.25"\} \d+/,
    );
  });

  it("backs the queue up on demand: waiting requests, a full batch and a slower first token", () => {
    const generator = new TrafficGenerator(5);
    generator.backfill(now, 0.05, history, services as never);
    const ttft =
      'histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{model_name="assistant"}[5m])))';
    const calmTtft = valueOf(generator, ttft);
    expect(valueOf(generator, 'sum(vllm:num_requests_waiting{model_name="assistant"})')).toBe(0);
    expect(calmTtft).toBeLessThan(1);

    generator.overrides.set("assistant-predictor-00001", { queueBacklog: 60 });
    generator.advance(now + 600, services as never);
    expect(valueOf(generator, 'sum(vllm:num_requests_waiting{model_name="assistant"})')).toBeGreaterThan(30);
    expect(valueOf(generator, 'sum(vllm:num_requests_running{model_name="assistant"})')).toBe(32);
    expect(valueOf(generator, ttft)).toBeGreaterThan(5);
    expect(valueOf(generator, "max(DCGM_FI_DEV_GPU_UTIL)")).toBeGreaterThan(90);
  });

  describe("on a TGI runtime", () => {
    const tgi = services.map((service) => ({ ...service, runtime: "huggingface-tgi" }));

    it("exposes TGI's router names instead of vLLM's, without labels of their own", () => {
      const generator = new TrafficGenerator(5);
      generator.backfill(now, 0.05, history, tgi as never);
      const text = renderExposition(generator.refs(), generator.generatedUntil);
      for (const line of [
        "# TYPE tgi_request_duration histogram",
        "# TYPE tgi_request_queue_duration histogram",
        "# TYPE tgi_request_mean_time_per_token_duration histogram",
        "# TYPE tgi_request_input_length histogram",
        "# TYPE tgi_request_generated_tokens histogram",
        "# TYPE tgi_queue_size gauge",
        "# TYPE tgi_batch_current_size gauge",
        "# TYPE DCGM_FI_DEV_GPU_UTIL gauge",
      ])
        expect(text).toContain(line);
      expect(text).not.toContain("vllm:");
      // 35 duration buckets (0.0001 × 1.5^k) and 100 length buckets, plus +Inf.
      expect(text.match(/^tgi_request_queue_duration_bucket\{/gm)).toHaveLength(36);
      expect(text.match(/^tgi_request_generated_tokens_bucket\{/gm)).toHaveLength(101);
      expect(text).toMatch(
        /^tgi_request_generated_tokens_bucket\{namespace="models",pod="assistant-predictor-00001-[^"]+",le="40\.96"\} \d+/m,
      );
      expect(text).toMatch(/^tgi_queue_size\{namespace="models",pod="[^"]+"\} 0 /m);
    });

    it("backs TGI's queue up: tgi_queue_size, a full batch and a longer queue wait", () => {
      const generator = new TrafficGenerator(5);
      generator.backfill(now, 0.05, history, tgi as never);
      const wait = "histogram_quantile(0.95, sum by (le) (rate(tgi_request_queue_duration_bucket[5m])))";
      expect(valueOf(generator, wait)).toBeLessThan(0.1);
      generator.overrides.set("assistant-predictor-00001", { queueBacklog: 60 });
      generator.advance(now + 600, tgi as never);
      expect(valueOf(generator, "sum(tgi_queue_size)")).toBeGreaterThan(30);
      expect(valueOf(generator, "sum(tgi_batch_current_size)")).toBe(32);
      expect(valueOf(generator, wait)).toBeGreaterThan(5);
    });
  });
});
