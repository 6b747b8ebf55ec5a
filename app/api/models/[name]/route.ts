import { z } from "zod";
import { decodeSegment } from "@/components/datasets/load";
import { getModel } from "@/lib/dal/models";
import { apiRoute } from "@/lib/http/api-route";
import { textProblem } from "@/lib/validation/text";

// The segment may still be percent-encoded, so the decoded name is checked again (a NUL reached MLflow as a 503).
const modelParams = z.object({
  name: z
    .string()
    .transform(decodeSegment)
    .superRefine((name, context) => {
      const problem = name ? textProblem(name, 500) : "a model name";
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
});

// GET /api/models/:name – one model with its versions, their lineage and where it is served.
export const GET = apiRoute({ access: "models:read", params: modelParams }, ({ user, params }) =>
  getModel(user, params.name),
);

export * from "@/lib/http/other-methods";
