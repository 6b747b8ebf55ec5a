import type { AlertKind } from "@/lib/domain/alerts/state-machine";

/**
 * Which generation engine serves an LLM, and so which metric names it exports (docs/decisions/019):
 * - `vllm`: KServe's Hugging Face runtime (`kserve-huggingfaceserver`, model format `huggingface`),
 *   whose text generation runs on vLLM and exposes vLLM's registry;
 * - `tgi`: a ServingRuntime that runs Hugging Face's text-generation-inference container (KServe ships
 *   none; clusters name their own, e.g. `huggingface-tgi`), whose router exports the `tgi_*` series.
 * The Hugging Face runtime also serves encoders, which have none of vLLM's series: their LLM panels
 * read "No data" rather than zero.
 */
export type LlmRuntime = "vllm" | "tgi";

/** A runtime named for TGI: `tgi` as a whole word (not IBM's `tgis` fork) or the project's full name. */
const tgiRuntimeName = /(^|[^a-z0-9])tgi([^a-z0-9s]|$)|text-generation-inference/i;

export function llmRuntimeOf(model: { format?: string | null; runtime?: string | null }): LlmRuntime | null {
  if (model.runtime && tgiRuntimeName.test(model.runtime)) return "tgi";
  return model.format?.toLowerCase() === "huggingface" ? "vllm" : null;
}

export const isLlmService = (model: { format?: string | null; runtime?: string | null }) =>
  llmRuntimeOf(model) !== null;

export const llmAlertKinds = ["LLM_TTFT_P95", "LLM_QUEUE_SIZE"] as const satisfies readonly AlertKind[];

/**
 * Why a kind of alert rule cannot watch a service, or null when it can: LLM kinds need an LLM, and
 * time to first token needs a runtime that measures it (TGI exports no such series).
 */
export function unsupportedAlertKind(kind: AlertKind, runtime: LlmRuntime | null): string | null {
  if (!(llmAlertKinds as readonly string[]).includes(kind)) return null;
  if (!runtime)
    return "LLM rules watch LLM services only (KServe's Hugging Face runtime or a TGI runtime); this service exports no LLM metrics.";
  if (kind === "LLM_TTFT_P95" && runtime === "tgi")
    return "Time to first token is not exported by TGI (its router has no such series); watch the queue size or the latency p95 instead.";
  return null;
}
