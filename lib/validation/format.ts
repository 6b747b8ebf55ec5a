import type { z } from "zod";

/** One readable sentence per problem, naming the field: "experiment: Required; workers: Too big". */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
