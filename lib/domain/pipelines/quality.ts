import { z } from "zod";

/**
 * A Great Expectations validation result (ExpectationSuiteValidationResult) as a validation task
 * returns it through XCom, read leniently: fields outside what the page shows are ignored, and a
 * value that is not a validation result reads as none.
 */
const validationResult = z.object({
  success: z.boolean(),
  meta: z.looseObject({ expectation_suite_name: z.string().optional() }).optional(),
  statistics: z.looseObject({ evaluated_expectations: z.number(), successful_expectations: z.number() }),
  results: z.array(
    z.looseObject({
      success: z.boolean(),
      expectation_config: z.looseObject({
        expectation_type: z.string(),
        kwargs: z.record(z.string(), z.unknown()).optional(),
      }),
      result: z
        .looseObject({
          observed_value: z.unknown().optional(),
          unexpected_percent: z.number().nullable().optional(),
        })
        .optional(),
    }),
  ),
});

export interface QualityCheck {
  expectation: string;
  column: string | null;
  isSuccess: boolean;
  observed: string | null;
  unexpectedPercent: number | null;
}

export interface QualityResult {
  taskId: string;
  suite: string | null;
  isSuccess: boolean;
  evaluated: number;
  successful: number;
  checks: QualityCheck[];
}

const show = (value: unknown) =>
  value === undefined || value === null
    ? null
    : typeof value === "number"
      ? String(Math.round(value * 10_000) / 10_000)
      : typeof value === "string"
        ? value
        : JSON.stringify(value);

export function readQualityResult(taskId: string, value: unknown): QualityResult | null {
  const parsed = validationResult.safeParse(value);
  if (!parsed.success) return null;
  const result = parsed.data;
  return {
    taskId,
    suite: result.meta?.expectation_suite_name ?? null,
    isSuccess: result.success,
    evaluated: result.statistics.evaluated_expectations,
    successful: result.statistics.successful_expectations,
    checks: result.results.map((r) => ({
      expectation: r.expectation_config.expectation_type,
      column:
        typeof r.expectation_config.kwargs?.column === "string" ? r.expectation_config.kwargs.column : null,
      isSuccess: r.success,
      observed: show(r.result?.observed_value),
      unexpectedPercent: r.result?.unexpected_percent ?? null,
    })),
  };
}

/** Airflow's run and task states that will not change on their own. */
export const isFinishedDagRunState = (state: string) => state === "success" || state === "failed";
