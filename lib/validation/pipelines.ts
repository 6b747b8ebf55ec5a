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

/** What a person may send to start a Data Factory pipeline run: its parameter values (checked against the pipeline by the DAL). */
export const triggerAdfRunBody = z.object({
  parameters: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((parameters) => JSON.stringify(parameters).length <= 16_384, "must be at most 16 KB of JSON"),
});
export type TriggerAdfRunInput = z.output<typeof triggerAdfRunBody>;

/** ARM's pattern for a pipeline name (Pipelines - Create Run: 1–260 characters, none of <>*#.%&:\+?/). */
export const adfPipelineNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][^<>*#.%&:\\+?/\u0000-\u001f]{0,259}$/, "not a pipeline name");
/** An ADF run id is a GUID; before ADF has the run, Switchboard's own key (switchboard__<uuid>) stands for it. */
export const adfRunIdSchema = z
  .string()
  .regex(
    /^(switchboard__)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "not a pipeline run id",
  );
/** A continuationToken from an earlier page of runs: opaque, but bounded. */
export const adfPageTokenSchema = z
  .string()
  .min(1)
  .max(4_096)
  .refine((t) => textProblem(t, 4_096) === null);
