import { z } from "zod";
import { decodeSegment, textProblem } from "./text";

export const listModelsQuery = z.object({ q: z.string().trim().max(200).optional() });
export type ListModelsQuery = z.output<typeof listModelsQuery>;

/** The segment may still be percent-encoded, so the decoded name is checked again (a NUL reached MLflow as a 503). */
export const modelParams = z.object({
  name: z
    .string()
    .transform(decodeSegment)
    .superRefine((name, context) => {
      const problem = name ? textProblem(name, 500) : "a model name";
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
});
