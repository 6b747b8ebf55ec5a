import type { LlmRuntime } from "@/lib/domain/monitoring/llm-serving";
import { promqlString, validateWindow, type ServingSelector } from "./queries";

/**
 * PromQL for LLM services, per generation engine, plus the GPU's series from NVIDIA's dcgm-exporter.
 * Names and types are upstream's (docs/decisions/019):
 * - vLLM (KServe's Hugging Face runtime): vllm-project/vllm vllm/engine/metrics.py. vLLM labels its
 *   series model_name (the InferenceService name); the scrape adds namespace and pod.
 * - TGI: huggingface/text-generation-inference router/src/server.rs (the `metrics::histogram!` calls
 *   and the PrometheusBuilder buckets) and docs/source/reference/metrics.md. The router's series carry
 *   no labels of their own, so they are picked, like DCGM's, by the predictor pods' names.
 * - DCGM: NVIDIA/dcgm-exporter etc/default-counters.csv.
 * Every latency returns seconds.
 */

export const llmMetrics = {
  ttftBucket: "vllm:time_to_first_token_seconds_bucket",
  tpotBucket: "vllm:time_per_output_token_seconds_bucket",
  promptTokensBucket: "vllm:request_prompt_tokens_bucket",
  generationTokensBucket: "vllm:request_generation_tokens_bucket",
  generationTokens: "vllm:generation_tokens_total",
  waiting: "vllm:num_requests_waiting",
  running: "vllm:num_requests_running",
  kvCacheUsage: "vllm:gpu_cache_usage_perc",
  gpuUtil: "DCGM_FI_DEV_GPU_UTIL",
  gpuMemoryUsedMiB: "DCGM_FI_DEV_FB_USED",
} as const;

/** TGI's router series (text-generation-inference router/src/server.rs); histograms in seconds or tokens. */
export const tgiMetrics = {
  queueDurationBucket: "tgi_request_queue_duration_bucket",
  meanTimePerTokenBucket: "tgi_request_mean_time_per_token_duration_bucket",
  inputLengthBucket: "tgi_request_input_length_bucket",
  generatedTokensBucket: "tgi_request_generated_tokens_bucket",
  generatedTokensSum: "tgi_request_generated_tokens_sum",
  queueSize: "tgi_queue_size",
  batchSize: "tgi_batch_current_size",
} as const;

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** vLLM's labels for a service (one namespace), optionally only some revisions' pods. */
function engineMatchers(selector: ServingSelector): string {
  const parts = [
    `namespace=${promqlString(selector.namespace)}`,
    `model_name=${promqlString(selector.service)}`,
  ];
  if (selector.revisions?.length)
    parts.push(`pod=~${promqlString(`(${selector.revisions.map(escapeRegex).join("|")})-.*`)}`);
  return `{${parts.join(", ")}}`;
}

/**
 * The service's predictor pods (`<service>-predictor-<revision number>-deployment-…`), optionally only
 * some revisions': how DCGM's and TGI's series, which know no model name, are picked.
 */
function podMatchers(selector: ServingSelector): string {
  const pods = selector.revisions?.length
    ? `(${selector.revisions.map(escapeRegex).join("|")})-.*`
    : `${escapeRegex(selector.service)}-predictor-.*`;
  return `{namespace=${promqlString(selector.namespace)}, pod=~${promqlString(pods)}}`;
}

const quantileOf = (quantile: number) => {
  if (!(quantile >= 0 && quantile <= 1))
    throw new RangeError(`quantile must be within 0 and 1, got ${quantile}`);
  return quantile;
};

const histogramQuantile = (bucket: string, selector: ServingSelector, quantile: number, window: string) =>
  `histogram_quantile(${quantileOf(quantile)}, sum by (le, model_name) (rate(${bucket}${engineMatchers(selector)}[${validateWindow(window)}])))`;

/** Time to first token (seconds) at a quantile: queue wait and prefill, as the engine measured them. */
export const ttftQuantileQuery = (selector: ServingSelector, quantile: number, window = "5m") =>
  histogramQuantile(llmMetrics.ttftBucket, selector, quantile, window);

/** Time per output token (seconds) at a quantile: the decode pace a streaming client sees. */
export const tpotQuantileQuery = (selector: ServingSelector, quantile: number, window = "5m") =>
  histogramQuantile(llmMetrics.tpotBucket, selector, quantile, window);

/** Prompt length (tokens) at a quantile. */
export const promptTokensQuantileQuery = (selector: ServingSelector, quantile: number, window = "5m") =>
  histogramQuantile(llmMetrics.promptTokensBucket, selector, quantile, window);

/** Generated length (tokens) at a quantile. */
export const generationTokensQuantileQuery = (selector: ServingSelector, quantile: number, window = "5m") =>
  histogramQuantile(llmMetrics.generationTokensBucket, selector, quantile, window);

/** Generated tokens per second, all of the service's pods together. */
export const tokensPerSecondQuery = (selector: ServingSelector, window = "5m") =>
  `sum by (model_name) (rate(${llmMetrics.generationTokens}${engineMatchers(selector)}[${validateWindow(window)}]))`;

/** Requests waiting in the engines' queues, summed over the pods. */
export const queueSizeQuery = (selector: ServingSelector) =>
  `sum by (model_name) (${llmMetrics.waiting}${engineMatchers(selector)})`;

/** Requests in the running batch (continuous batching's current batch size), summed over the pods. */
export const batchSizeQuery = (selector: ServingSelector) =>
  `sum by (model_name) (${llmMetrics.running}${engineMatchers(selector)})`;

/** The fullest pod's KV-cache usage (0–1). */
export const kvCacheUsageQuery = (selector: ServingSelector) =>
  `max by (model_name) (${llmMetrics.kvCacheUsage}${engineMatchers(selector)})`;

/** Mean GPU utilisation (%) over the service's GPUs. */
export const gpuUtilisationQuery = (selector: ServingSelector) =>
  `avg by (namespace) (${llmMetrics.gpuUtil}${podMatchers(selector)})`;

/** GPU memory in use (MiB), summed over the service's GPUs. */
export const gpuMemoryUsedQuery = (selector: ServingSelector) =>
  `sum by (namespace) (${llmMetrics.gpuMemoryUsedMiB}${podMatchers(selector)})`;

/**
 * Per namespace, for the alert rules: each LLM service's p95 time to first token (seconds) and its
 * queue size, keyed by model_name like the KServe scheme's fleet queries.
 */
export const fleetTtftP95Query = (namespace: string, window: string) =>
  `histogram_quantile(0.95, sum by (le, model_name) (rate(${llmMetrics.ttftBucket}{namespace=${promqlString(namespace)}}[${validateWindow(window)}])))`;

export const fleetQueueSizeQuery = (namespace: string) =>
  `sum by (model_name) (${llmMetrics.waiting}{namespace=${promqlString(namespace)}})`;

const tgiQuantile = (bucket: string, selector: ServingSelector, quantile: number, window: string) =>
  `histogram_quantile(${quantileOf(quantile)}, sum by (le, namespace) (rate(${bucket}${podMatchers(selector)}[${validateWindow(window)}])))`;

/**
 * What one runtime's queries are. A null is a measure the runtime does not export: the page says so
 * rather than draw an empty chart, and an alert rule on it is refused.
 */
export interface LlmQuerySet {
  runtime: LlmRuntime;
  ttftQuantile: ((selector: ServingSelector, quantile: number, window: string) => string) | null;
  /** Time spent queued before the first forward pass: TGI's closest measure to time to first token. */
  queueWaitQuantile: ((selector: ServingSelector, quantile: number, window: string) => string) | null;
  tpotQuantile: (selector: ServingSelector, quantile: number, window: string) => string;
  promptTokensQuantile: (selector: ServingSelector, quantile: number, window: string) => string;
  generationTokensQuantile: (selector: ServingSelector, quantile: number, window: string) => string;
  tokensPerSecond: (selector: ServingSelector, window: string) => string;
  queueSize: (selector: ServingSelector) => string;
  batchSize: (selector: ServingSelector) => string;
  kvCacheUsage: ((selector: ServingSelector) => string) | null;
}

export const llmQuerySets: Record<LlmRuntime, LlmQuerySet> = {
  vllm: {
    runtime: "vllm",
    ttftQuantile: ttftQuantileQuery,
    queueWaitQuantile: null,
    tpotQuantile: tpotQuantileQuery,
    promptTokensQuantile: promptTokensQuantileQuery,
    generationTokensQuantile: generationTokensQuantileQuery,
    tokensPerSecond: tokensPerSecondQuery,
    queueSize: queueSizeQuery,
    batchSize: batchSizeQuery,
    kvCacheUsage: kvCacheUsageQuery,
  },
  tgi: {
    runtime: "tgi",
    // TGI measures no first token: only the queue wait before prefill (a lower bound of it).
    ttftQuantile: null,
    queueWaitQuantile: (selector, quantile, window) =>
      tgiQuantile(tgiMetrics.queueDurationBucket, selector, quantile, window),
    // Observed once per request: each request's mean time per token, not every token.
    tpotQuantile: (selector, quantile, window) =>
      tgiQuantile(tgiMetrics.meanTimePerTokenBucket, selector, quantile, window),
    promptTokensQuantile: (selector, quantile, window) =>
      tgiQuantile(tgiMetrics.inputLengthBucket, selector, quantile, window),
    generationTokensQuantile: (selector, quantile, window) =>
      tgiQuantile(tgiMetrics.generatedTokensBucket, selector, quantile, window),
    // The histogram's sum counts every generated token, so its rate is tokens per second.
    tokensPerSecond: (selector, window) =>
      `sum by (namespace) (rate(${tgiMetrics.generatedTokensSum}${podMatchers(selector)}[${validateWindow(window)}]))`,
    queueSize: (selector) => `sum by (namespace) (${tgiMetrics.queueSize}${podMatchers(selector)})`,
    batchSize: (selector) => `sum by (namespace) (${tgiMetrics.batchSize}${podMatchers(selector)})`,
    kvCacheUsage: null,
  },
};
