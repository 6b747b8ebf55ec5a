import { describe, expect, it } from "vitest";
import { llmRuntimeOf, unsupportedAlertKind } from "./llm-serving";

describe("which engine serves an LLM", () => {
  it("reads TGI from the runtime's name, vLLM from KServe's Hugging Face format, and nothing else as an LLM", () => {
    expect(llmRuntimeOf({ format: "huggingface", runtime: "kserve-huggingfaceserver" })).toBe("vllm");
    expect(llmRuntimeOf({ format: "huggingface", runtime: "huggingface-tgi" })).toBe("tgi");
    expect(llmRuntimeOf({ format: "pytorch", runtime: "hf-tgi-runtime" })).toBe("tgi");
    expect(llmRuntimeOf({ format: "huggingface", runtime: "text-generation-inference" })).toBe("tgi");
    // IBM's TGIS fork exports other names: not read as TGI.
    expect(llmRuntimeOf({ format: "pytorch", runtime: "tgis-runtime" })).toBeNull();
    expect(llmRuntimeOf({ format: "sklearn", runtime: "kserve-sklearnserver" })).toBeNull();
    expect(llmRuntimeOf({})).toBeNull();
  });

  it("refuses LLM kinds on classic models and time to first token on TGI, and leaves classic kinds alone", () => {
    expect(unsupportedAlertKind("LLM_QUEUE_SIZE", null)).toMatch(/LLM services only/);
    expect(unsupportedAlertKind("LLM_TTFT_P95", "tgi")).toMatch(/not exported by TGI/);
    expect(unsupportedAlertKind("LLM_QUEUE_SIZE", "tgi")).toBeNull();
    expect(unsupportedAlertKind("LLM_TTFT_P95", "vllm")).toBeNull();
    expect(unsupportedAlertKind("LATENCY_P95", null)).toBeNull();
  });
});
