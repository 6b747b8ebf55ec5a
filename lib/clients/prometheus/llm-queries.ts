import { promqlString, validateWindow, type ServingSelector } from "./queries";

/**
 * PromQL for LLM services on KServe's Hugging Face runtime, whose text generation runs on vLLM and
 * exports vLLM's registry, plus the GPU's series from NVIDIA's dcgm-exporter. Names and types are
 * upstream's (docs/decisions/019): vllm-project/vllm vllm/engine/metrics.py and NVIDIA/dcgm-exporter
 * etc/default-counters.csv. vLLM labels its series model_name (the InferenceService name); the scrape
 * adds namespace and pod. DCGM has no model name: its series are picked by the predictor pods' names.
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

/** DCGM's labels: the service's predictor pods (`<service>-predictor-<revision number>-deployment-…`). */
function gpuMatchers(selector: ServingSelector): string {
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
  `avg by (namespace) (${llmMetrics.gpuUtil}${gpuMatchers(selector)})`;

/** GPU memory in use (MiB), summed over the service's GPUs. */
export const gpuMemoryUsedQuery = (selector: ServingSelector) =>
  `sum by (namespace) (${llmMetrics.gpuMemoryUsedMiB}${gpuMatchers(selector)})`;

/**
 * Per namespace, for the alert rules: each LLM service's p95 time to first token (seconds) and its
 * queue size, keyed by model_name like the KServe scheme's fleet queries.
 */
export const fleetTtftP95Query = (namespace: string, window: string) =>
  `histogram_quantile(0.95, sum by (le, model_name) (rate(${llmMetrics.ttftBucket}{namespace=${promqlString(namespace)}}[${validateWindow(window)}])))`;

export const fleetQueueSizeQuery = (namespace: string) =>
  `sum by (model_name) (${llmMetrics.waiting}{namespace=${promqlString(namespace)}})`;
