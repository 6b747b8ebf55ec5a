import { z } from "zod";

/** "a,b,c" in a URL → ["a", "b", "c"]. */
export const commaList = z
  .string()
  .max(4000)
  .optional()
  .transform((value) =>
    value
      ? value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );

const runIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export const maxComparedRuns = 100;

export const maxComparedMetrics = 50;

export const compareQuery = z.object({
  runs: z
    .string()
    .max(100 * 65)
    .transform((value, ctx) => {
      const ids = [
        ...new Set(
          value
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      if (ids.length < 1 || ids.length > maxComparedRuns || !ids.every((id) => runIdPattern.test(id))) {
        ctx.addIssue({
          code: "custom",
          message: `runs must list 1 to ${maxComparedRuns} MLflow run ids, separated by commas`,
        });
        return z.NEVER;
      }
      return ids;
    }),
  metrics: commaList.pipe(z.array(z.string().max(250)).max(maxComparedMetrics)),
  x: z.enum(["step", "time"]).default("step"),
});

export type CompareQuery = z.output<typeof compareQuery>;

export const listExperimentsQuery = z.object({
  q: z.string().trim().max(200).optional(),
  pageToken: z.string().max(2000).optional(),
});

export type ListExperimentsQuery = z.output<typeof listExperimentsQuery>;

export const searchRunsQuery = z.object({
  filter: z.string().trim().max(2000).optional(),
  /** A column: run_name, start_time, end_time, status, params.<key> or metrics.<key>; MLflow's default order is start_time DESC. */
  sort: z
    .string()
    .trim()
    .max(300)
    .regex(/^(run_name|start_time|end_time|status|(params|metrics)\.[^`]+)$/, "unknown sort column")
    .optional(),
  dir: z.enum(["asc", "desc"]).default("desc"),
  pageToken: z.string().max(2000).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  params: commaList,
  metrics: commaList,
});

export type SearchRunsQuery = z.output<typeof searchRunsQuery>;

/** An MLflow experiment id in a path (numeric in open-source MLflow, longer ids elsewhere). */
export const experimentIdParams = z.object({ experimentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** PUT /api/experiments/:id/pin */
export const pinExperimentInput = z.object({ isPinned: z.boolean() }).strict();
export type PinExperimentInput = z.output<typeof pinExperimentInput>;
