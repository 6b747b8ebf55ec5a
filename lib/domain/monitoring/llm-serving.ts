/**
 * Whether a service is an LLM served by KServe's Hugging Face runtime, whose generation engine
 * (vLLM) exports the LLM metrics (docs/decisions/019). The runtime also serves encoders, which have
 * none of them: their LLM panels read "No data" rather than zero.
 */
export const isLlmService = (model: { format?: string | null }) =>
  model.format?.toLowerCase() === "huggingface";
