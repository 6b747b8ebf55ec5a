import { z } from "zod";
import { textProblem } from "./text";

/** What a person may send to trigger a DAG run: a JSON object as conf (Airflow's `conf`) and a note. */
export const triggerDagRunBody = z.object({
  conf: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((conf) => JSON.stringify(conf).length <= 16_384, "must be at most 16 KB of JSON"),
  note: z.string().trim().max(500).optional(),
});
export type TriggerDagRunInput = z.output<typeof triggerDagRunBody>;

export const setPausedBody = z.object({ isPaused: z.boolean() });

/** DAG ids are Airflow's KEY_REGEX; run ids are freer, but never hold what PostgreSQL cannot store. */
export const dagIdSchema = z.string().regex(/^[\w.-]{1,250}$/, "not a DAG id");
export const dagRunIdSchema = z
  .string()
  .min(1)
  .refine((id) => textProblem(id, 250) === null, "not a DAG run id");
