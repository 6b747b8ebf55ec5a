import type { SeriesRef } from "./evaluate";
import {
  bucketModel,
  poisson,
  sampleHistogram,
  standardNormal,
  type BucketModel,
  type Random,
} from "./sampling";
import { coarseSlotSeconds, fineSlotSeconds, hashHex, Tier, type SampledSeries } from "./series-store";

/**
 * What an LLM predictor on KServe's Hugging Face runtime exports besides the queue-proxy's metrics:
 * the vLLM engine's own series (kserve/kserve python/huggingfaceserver serves text generation with
 * vLLM and exposes its registry on /metrics) and the GPU's from NVIDIA's dcgm-exporter. Names, types,
 * buckets and labels are upstream's (docs/decisions/019):
 * - vllm-project/vllm vllm/engine/metrics.py: histograms vllm:time_to_first_token_seconds,
 *   vllm:time_per_output_token_seconds, vllm:e2e_request_latency_seconds, vllm:request_prompt_tokens,
 *   vllm:request_generation_tokens (1-2-5 buckets up to max_model_len); counters
 *   vllm:prompt_tokens_total, vllm:generation_tokens_total; gauges vllm:num_requests_waiting,
 *   vllm:num_requests_running, vllm:gpu_cache_usage_perc; label model_name (namespace and pod come
 *   from the scrape, as for KServe's own request_predict_seconds).
 * - NVIDIA/dcgm-exporter etc/default-counters.csv: gauges DCGM_FI_DEV_GPU_UTIL (%) and
 *   DCGM_FI_DEV_FB_USED (MiB), with gpu/UUID/device/modelName/Hostname and, from the exporter's pod
 *   mapping, namespace/pod/container.
 */

export const ttftBucketsSeconds = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
export const tpotBucketsSeconds = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];
export const e2eBucketsSeconds = [1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60];
/** The model's context length: vLLM's token buckets are build_1_2_5_buckets(max_model_len). */
export const maxModelLen = 4096;
export const tokenBuckets = build125Buckets(maxModelLen);
/** Continuous batching admits at most this many sequences at once (vLLM's max_num_seqs, here smaller). */
export const maxRunning = 32;
const gpuMemoryMiB = 81_920;

function build125Buckets(max: number): number[] {
  const buckets: number[] = [];
  for (let exponent = 0; ; exponent++)
    for (const mantissa of [1, 2, 5]) {
      const value = mantissa * 10 ** exponent;
      if (value > max) return buckets;
      buckets.push(value);
    }
}

interface HistogramLayout {
  name: string;
  bounds: number[];
  /** Field of the first cumulative bucket; +Inf (the count) follows the bounds, then the sum. */
  base: number;
}

/** Where each series of one engine's registry (plus DCGM's gauges) lives in a revision's tier rows. */
class Layout {
  fieldCount = 0;
  readonly gauges = new Set<number>();
  histogram(name: string, bounds: number[]): HistogramLayout {
    const layout = { name, bounds, base: this.fieldCount };
    this.fieldCount += bounds.length + 2;
    return layout;
  }
  gauge(): number {
    this.gauges.add(this.fieldCount);
    return this.fieldCount++;
  }
}

const vllm = new Layout();
export const llmHistograms = {
  ttft: vllm.histogram("vllm:time_to_first_token_seconds", ttftBucketsSeconds),
  tpot: vllm.histogram("vllm:time_per_output_token_seconds", tpotBucketsSeconds),
  e2e: vllm.histogram("vllm:e2e_request_latency_seconds", e2eBucketsSeconds),
  promptTokens: vllm.histogram("vllm:request_prompt_tokens", tokenBuckets),
  generationTokens: vllm.histogram("vllm:request_generation_tokens", tokenBuckets),
};
const sumField = (h: HistogramLayout) => h.base + h.bounds.length + 1;
const gaugeField = {
  waiting: vllm.gauge(),
  running: vllm.gauge(),
  cacheUsage: vllm.gauge(),
  gpuUtil: vllm.gauge(),
  fbUsed: vllm.gauge(),
};

/**
 * TGI's router (huggingface/text-generation-inference router/src/server.rs): every histogram whose
 * name ends in `duration` has 35 buckets, 0.0001 × 1.5^k seconds for k = 1…35; input lengths 100
 * buckets of max_input_tokens / 100, generated tokens 100 of max_total_tokens / 100. The router's
 * series carry no labels of their own; namespace and pod come from the scrape.
 */
export const tgiMaxTotalTokens = 4096;
const tgiMaxInputTokens = tgiMaxTotalTokens - 1;
export const tgiDurationBuckets = (() => {
  const buckets: number[] = [];
  // Repeated multiplication, as the router computes them, so the bounds are the same doubles.
  let value = 0.0001;
  for (let i = 0; i < 35; i++) buckets.push((value *= 1.5));
  return buckets;
})();
const linearBuckets = (max: number) => Array.from({ length: 100 }, (_, x) => (max / 100) * (x + 1));
const tgi = new Layout();
export const tgiHistograms = {
  duration: tgi.histogram("tgi_request_duration", tgiDurationBuckets),
  queue: tgi.histogram("tgi_request_queue_duration", tgiDurationBuckets),
  meanTimePerToken: tgi.histogram("tgi_request_mean_time_per_token_duration", tgiDurationBuckets),
  inputLength: tgi.histogram("tgi_request_input_length", linearBuckets(tgiMaxInputTokens)),
  generatedTokens: tgi.histogram("tgi_request_generated_tokens", linearBuckets(tgiMaxTotalTokens)),
};
const tgiGauge = {
  queueSize: tgi.gauge(),
  batchSize: tgi.gauge(),
  gpuUtil: tgi.gauge(),
  fbUsed: tgi.gauge(),
};

export type LlmRuntime = "vllm" | "tgi";
const layouts: Record<LlmRuntime, Layout> = { vllm, tgi };

export const llmFamilies: Record<string, { type: "histogram" | "counter" | "gauge"; help: string }> = {
  "vllm:time_to_first_token_seconds": {
    type: "histogram",
    help: "Histogram of time to first token in seconds.",
  },
  "vllm:time_per_output_token_seconds": {
    type: "histogram",
    help: "Histogram of time per output token in seconds.",
  },
  "vllm:e2e_request_latency_seconds": {
    type: "histogram",
    help: "Histogram of end to end request latency in seconds.",
  },
  "vllm:request_prompt_tokens": { type: "histogram", help: "Number of prefill tokens processed." },
  "vllm:request_generation_tokens": { type: "histogram", help: "Number of generation tokens processed." },
  "vllm:prompt_tokens_total": { type: "counter", help: "Number of prefill tokens processed." },
  "vllm:generation_tokens_total": { type: "counter", help: "Number of generation tokens processed." },
  "vllm:num_requests_waiting": { type: "gauge", help: "Number of requests waiting to be processed." },
  "vllm:num_requests_running": { type: "gauge", help: "Number of requests currently running on GPU." },
  "vllm:gpu_cache_usage_perc": { type: "gauge", help: "GPU KV-cache usage. 1 means 100 percent usage." },
  tgi_request_duration: { type: "histogram", help: "Total time spent processing the request (e2e latency)" },
  tgi_request_queue_duration: { type: "histogram", help: "Time spent in the queue per request" },
  tgi_request_mean_time_per_token_duration: { type: "histogram", help: "Mean time per token per request" },
  tgi_request_input_length: { type: "histogram", help: "Input token length per request" },
  tgi_request_generated_tokens: { type: "histogram", help: "Generated tokens per request" },
  tgi_queue_size: { type: "gauge", help: "Current queue size" },
  tgi_batch_current_size: { type: "gauge", help: "Current batch size" },
  DCGM_FI_DEV_GPU_UTIL: { type: "gauge", help: "GPU utilization (in %)." },
  DCGM_FI_DEV_FB_USED: { type: "gauge", help: "Framebuffer memory used (in MiB)." },
};

/** An LLM revision's engine (vLLM or TGI) and GPU series, in their own tiers (gauges included). */
export class LlmSeries implements SampledSeries {
  readonly fine: Tier;
  readonly coarse: Tier;
  private readonly layout: Layout;
  private readonly models = new Map<string, BucketModel>();

  constructor(
    readonly model: string,
    readonly namespace: string,
    readonly pod: string,
    readonly runtime: LlmRuntime = "vllm",
  ) {
    this.layout = layouts[runtime];
    const { fieldCount, gauges } = this.layout;
    this.fine = new Tier(fineSlotSeconds, (6 * 3600) / fineSlotSeconds, fieldCount, gauges);
    this.coarse = new Tier(coarseSlotSeconds, (8 * 86400) / coarseSlotSeconds, fieldCount, gauges);
  }

  add(atSeconds: number, increments: Float64Array, fine: boolean) {
    if (fine) this.fine.add(atSeconds, increments);
    else this.fine.addToBase(increments);
    this.coarse.add(atSeconds, increments);
  }

  markPresent(atSeconds: number, fine: boolean) {
    if (fine) this.fine.markPresent(atSeconds);
    this.coarse.markPresent(atSeconds);
  }

  advanceTo(atSeconds: number) {
    this.fine.advanceTo(Math.floor(atSeconds / fineSlotSeconds));
    this.coarse.advanceTo(Math.floor(atSeconds / coarseSlotSeconds));
  }

  private modelFor(bounds: number[], median: number, sigma: number, shift: number) {
    const key = `${bounds.length}|${bounds[0]}|${median.toPrecision(3)}|${sigma}|${shift.toPrecision(3)}`;
    let model = this.models.get(key);
    if (!model) {
      if (this.models.size > 2000) this.models.clear();
      this.models.set(
        key,
        (model = bucketModel(bounds, {
          median: Number(median.toPrecision(3)),
          sigma,
          shift: Number(shift.toPrecision(3)),
        })),
      );
    }
    return model;
  }

  /**
   * One interval of engine behaviour for `requests` requests over `seconds`: token counts, TTFT
   * (queue wait included), per-token latency, and the gauges at the interval's end. `backlog` keeps
   * that many requests waiting: the batch is full and each waits its turn before its first token.
   */
  generate(
    input: { requests: number; seconds: number; speedFactor: number; backlog: number },
    random: Random,
  ) {
    const increments = new Float64Array(this.layout.fieldCount);
    const { requests, seconds, speedFactor, backlog } = input;
    const rate = requests / Math.max(seconds, 1);
    const promptMedian = 420;
    const generationMedian = 160;
    const tpotMedian = 0.028 * speedFactor;
    const serviceSeconds = 0.12 * speedFactor + generationMedian * tpotMedian;
    const waiting =
      backlog > 0 ? Math.max(0, Math.round(backlog + Math.sqrt(backlog) * standardNormal(random))) : 0;
    const running = backlog > 0 ? maxRunning : Math.min(maxRunning, poisson(rate * serviceSeconds, random));
    const waitSeconds = queueWaitSeconds(waiting);
    const put = (h: HistogramLayout, n: number, model: BucketModel, round = false) => {
      const { counts, sum } = sampleHistogram(n, model, random);
      let cumulative = 0;
      counts.forEach((count, i) => {
        cumulative += count;
        increments[h.base + i] = cumulative;
      });
      increments[sumField(h)] = round ? Math.round(sum) : sum;
      return round ? Math.round(sum) : sum;
    };
    const gpuUtil = () =>
      Math.min(100, Math.max(0, Math.round(12 + running * 3 + 2 * standardNormal(random))));
    // The engine takes 90 % of the card at start (vLLM's gpu_memory_utilization, TGI's
    // cuda_memory_fraction with its KV-cache budget), whatever the load.
    const fbUsed = Math.round(gpuMemoryMiB * 0.9) + 486;
    if (this.runtime === "tgi") {
      const t = tgiHistograms;
      put(t.inputLength, requests, this.modelFor(t.inputLength.bounds, promptMedian, 0.7, 0), true);
      put(
        t.generatedTokens,
        requests,
        this.modelFor(t.generatedTokens.bounds, generationMedian, 0.8, 0),
        true,
      );
      // Validation and batching take a few milliseconds even when nobody waits.
      put(t.queue, requests, this.modelFor(tgiDurationBuckets, 0.004, 0.5, waitSeconds));
      // The router observes each request's mean time per token once, when the request ends.
      put(
        t.meanTimePerToken,
        requests,
        this.modelFor(tgiDurationBuckets, tpotMedian * (1 + 0.01 * running), 0.15, 0),
      );
      put(t.duration, requests, this.modelFor(tgiDurationBuckets, serviceSeconds, 0.6, waitSeconds));
      increments[tgiGauge.queueSize] = waiting;
      increments[tgiGauge.batchSize] = running;
      increments[tgiGauge.gpuUtil] = gpuUtil();
      increments[tgiGauge.fbUsed] = fbUsed;
      return increments;
    }
    const h = llmHistograms;
    put(h.promptTokens, requests, this.modelFor(tokenBuckets, promptMedian, 0.7, 0), true);
    const generated = put(
      h.generationTokens,
      requests,
      this.modelFor(tokenBuckets, generationMedian, 0.8, 0),
      true,
    );
    put(h.ttft, requests, this.modelFor(ttftBucketsSeconds, 0.12 * speedFactor, 0.5, waitSeconds));
    // vLLM observes time per output token once per token after the first.
    const tokenObservations = Math.max(0, generated - requests);
    put(
      h.tpot,
      tokenObservations,
      this.modelFor(tpotBucketsSeconds, tpotMedian * (1 + 0.01 * running), 0.25, 0),
    );
    put(h.e2e, requests, this.modelFor(e2eBucketsSeconds, serviceSeconds, 0.6, waitSeconds));
    increments[gaugeField.waiting] = waiting;
    increments[gaugeField.running] = running;
    increments[gaugeField.cacheUsage] = Math.min(
      0.99,
      (running * (promptMedian + generationMedian)) / 24_000,
    );
    increments[gaugeField.gpuUtil] = gpuUtil();
    increments[gaugeField.fbUsed] = fbUsed;
    return increments;
  }

  refs(): SeriesRef[] {
    const refs: SeriesRef[] = [];
    const histograms = (
      all: HistogramLayout[],
      labels: Record<string, string>,
      le: (value: number) => string,
    ) => {
      for (const layout of all) {
        [...layout.bounds, Infinity].forEach((bound, i) =>
          refs.push({
            labels: { __name__: `${layout.name}_bucket`, ...labels, le: le(bound) },
            revision: this,
            field: layout.base + i,
          }),
        );
        refs.push({
          labels: { __name__: `${layout.name}_count`, ...labels },
          revision: this,
          field: layout.base + layout.bounds.length,
        });
        refs.push({
          labels: { __name__: `${layout.name}_sum`, ...labels },
          revision: this,
          field: sumField(layout),
        });
      }
    };
    const series = (name: string, labels: Record<string, string>, field: number) =>
      refs.push({ labels: { __name__: name, ...labels }, revision: this, field });
    let gpuFields: { util: number; fb: number };
    if (this.runtime === "tgi") {
      // The router's own series have no labels; the scrape adds namespace and pod.
      const labels = { namespace: this.namespace, pod: this.pod };
      histograms(Object.values(tgiHistograms), labels, rustFloat);
      series("tgi_queue_size", labels, tgiGauge.queueSize);
      series("tgi_batch_current_size", labels, tgiGauge.batchSize);
      gpuFields = { util: tgiGauge.gpuUtil, fb: tgiGauge.fbUsed };
    } else {
      const labels = { model_name: this.model, namespace: this.namespace, pod: this.pod };
      histograms(Object.values(llmHistograms), labels, pythonFloat);
      series("vllm:prompt_tokens_total", labels, sumField(llmHistograms.promptTokens));
      series("vllm:generation_tokens_total", labels, sumField(llmHistograms.generationTokens));
      series("vllm:num_requests_waiting", labels, gaugeField.waiting);
      series("vllm:num_requests_running", labels, gaugeField.running);
      series("vllm:gpu_cache_usage_perc", labels, gaugeField.cacheUsage);
      gpuFields = { util: gaugeField.gpuUtil, fb: gaugeField.fbUsed };
    }
    const gpu = {
      gpu: "0",
      UUID: `GPU-${hashHex(`${this.pod}/gpu`, 8)}-${hashHex(`${this.pod}/uuid`, 12)}`,
      device: "nvidia0",
      modelName: "NVIDIA A100 80GB PCIe",
      Hostname: `aks-gpua100-${hashHex(this.namespace, 8)}-vmss000000`,
      container: "kserve-container",
      namespace: this.namespace,
      pod: this.pod,
    };
    series("DCGM_FI_DEV_GPU_UTIL", gpu, gpuFields.util);
    series("DCGM_FI_DEV_FB_USED", gpu, gpuFields.fb);
    return refs;
  }
}

/** Little's law: a request behind `waiting` others waits for that many to finish at the full batch's pace. */
export function queueWaitSeconds(waiting: number) {
  const serviceSeconds = 0.12 + 160 * 0.028;
  return (waiting * serviceSeconds) / maxRunning;
}

/** prometheus_client renders bucket bounds with Python's repr: 1.0, 0.005, +Inf. */
export function pythonFloat(value: number) {
  if (value === Infinity) return "+Inf";
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** The Rust exporter (metrics-exporter-prometheus) writes bounds with Rust's Display for f64: 41, 0.00015, +Inf. */
function rustFloat(value: number) {
  return value === Infinity ? "+Inf" : String(value);
}

/**
 * The engine an LLM revision runs, as the product reads it (lib/domain/monitoring/llm-serving.ts): a
 * runtime named for TGI runs TGI; otherwise the Hugging Face format runs vLLM; anything else is no LLM.
 */
export function llmRuntimeOf(
  modelFormat: string | undefined,
  runtime: string | undefined,
): LlmRuntime | null {
  if (runtime && /(^|[^a-z0-9])tgi([^a-z0-9s]|$)|text-generation-inference/i.test(runtime)) return "tgi";
  return modelFormat === "huggingface" ? "vllm" : null;
}
