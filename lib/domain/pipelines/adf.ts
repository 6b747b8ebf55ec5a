import type { ActivityDefinition, ActivityRun, ParameterSpecification, PipelineRun } from "@/lib/clients/adf";
import { readQualityResult, type QualityResult } from "./quality";

/**
 * Data Factory's runs in the Pipelines area's words (decision 014): a pipeline run is a run, each
 * activity a task whose attempts are ADF's activity runs of that name (a retry is a run of its own), a
 * Databricks activity's runPageUrl names the Databricks run it submitted, and an activity whose output
 * is a Great Expectations validation result is a data-quality result. Pure: it takes ADF's answers.
 */

/** PipelineRun and ActivityRun statuses as the page's states (Airflow's words, plus ADF's cancelling). */
const states: Record<string, string> = {
  Queued: "queued",
  InProgress: "running",
  Succeeded: "success",
  Failed: "failed",
  Canceling: "canceling",
  Cancelled: "cancelled",
  Skipped: "skipped",
};
export const adfState = (status: string) =>
  Object.hasOwn(states, status) ? states[status] : status.toLowerCase();

/** invokedBy.invokedByType: a ScheduleTrigger's run is scheduled, a createRun call manual, any other keeps ADF's word. */
export function adfRunType(run: PipelineRun): string {
  const type = run.invokedBy?.invokedByType;
  return type === "ScheduleTrigger" ? "scheduled" : type === "Manual" ? "manual" : (type ?? "manual");
}

const seconds = (start: string | null | undefined, end: string | null | undefined) =>
  start && end ? (Date.parse(end) - Date.parse(start)) / 1000 : null;

export function toAdfRunSummary(run: PipelineRun) {
  const state = adfState(run.status);
  return {
    dagId: run.pipelineName,
    dagRunId: run.runId,
    state,
    runType: adfRunType(run),
    /** ADF has no logical date: the run's start (or, while queued, its last update) places it in time. */
    logicalDate: run.runStart ?? run.lastUpdated ?? null,
    startDate: run.runStart ?? null,
    endDate: run.runEnd ?? null,
    durationSeconds: run.durationInMs != null ? run.durationInMs / 1000 : seconds(run.runStart, run.runEnd),
    isExternallyTriggered: run.invokedBy?.invokedByType === "Manual",
    isFinished: isFinishedAdfState(state),
    invokedBy: run.invokedBy?.name ?? null,
    message: run.message || null,
  };
}
export type AdfRunSummary = ReturnType<typeof toAdfRunSummary>;

export const isFinishedAdfState = (state: string) => ["success", "failed", "cancelled"].includes(state);

/** policy.retry may be an expression (a string): a number there counts, anything else as no retries. */
const retriesOf = (activity: ActivityDefinition | undefined) => {
  const retry = Number(activity?.policy?.retry ?? 0);
  return Number.isInteger(retry) && retry > 0 ? retry : 0;
};

/**
 * One row per activity, in the pipeline's order (activities not run yet read "none"): its latest
 * attempt's state and times, how many attempts it took, and how many it may take (retry + 1).
 */
export function toAdfTasks(activityRuns: ActivityRun[], definitions: ActivityDefinition[]) {
  const byName = new Map<string, ActivityRun[]>();
  const chronological = [...activityRuns].sort(
    (a, b) => Date.parse(a.activityRunStart ?? "") - Date.parse(b.activityRunStart ?? ""),
  );
  for (const run of chronological)
    byName.set(run.activityName, [...(byName.get(run.activityName) ?? []), run]);
  const names = [...new Set([...definitions.map((d) => d.name), ...byName.keys()])];
  return names.map((name) => {
    const attempts = byName.get(name) ?? [];
    const latest = attempts.at(-1);
    const definition = definitions.find((d) => d.name === name);
    return {
      taskId: name,
      operator: latest?.activityType ?? definition?.type ?? null,
      state: latest ? adfState(latest.status) : "none",
      tryNumber: attempts.length,
      maxAttempts: retriesOf(definition) + 1,
      startDate: latest?.activityRunStart ?? null,
      endDate: latest?.activityRunEnd ?? null,
      durationSeconds: latest?.durationInMs != null ? latest.durationInMs / 1000 : null,
    };
  });
}

/** The Databricks run an activity submitted: its output's runId if it gives one, else the id in runPageUrl (…#job/J/run/R). */
export function databricksRunIdOf(activity: ActivityRun): string | null {
  if (!/^Databricks/.test(activity.activityType ?? "")) return null;
  const output = (activity.output ?? {}) as { runId?: unknown; runPageUrl?: unknown };
  const fromId =
    typeof output.runId === "number" || typeof output.runId === "string" ? String(output.runId) : "";
  if (/^\d{1,18}$/.test(fromId) && Number(fromId) > 0) return fromId;
  const fromUrl =
    typeof output.runPageUrl === "string"
      ? output.runPageUrl.match(/\/run\/(\d{1,18})(?:$|[/?#])/)?.[1]
      : undefined;
  return fromUrl ?? null;
}

/** The latest attempt of each activity that reported a Great Expectations validation result in its output. */
export function adfQualityResults(activityRuns: ActivityRun[]): QualityResult[] {
  const latest = new Map<string, ActivityRun>();
  for (const run of [...activityRuns].sort(
    (a, b) => Date.parse(a.activityRunStart ?? "") - Date.parse(b.activityRunStart ?? ""),
  ))
    latest.set(run.activityName, run);
  return [...latest.values()]
    .map((run) => readQualityResult(run.activityName, run.output))
    .filter((q): q is QualityResult => q !== null);
}

export function adfDatabricksRuns(activityRuns: ActivityRun[]) {
  const seen = new Set<string>();
  const out: Array<{ taskId: string; databricksRunId: string }> = [];
  for (const run of activityRuns) {
    const databricksRunId = databricksRunIdOf(run);
    if (databricksRunId && !seen.has(databricksRunId)) {
      seen.add(databricksRunId);
      out.push({ taskId: run.activityName, databricksRunId });
    }
  }
  return out;
}

export type ParameterProblem = { name: string; message: string };

const typeChecks: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  securestring: (v) => typeof v === "string",
  int: (v) => Number.isSafeInteger(v),
  float: (v) => typeof v === "number" && Number.isFinite(v),
  bool: (v) => typeof v === "boolean",
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
};

/** The parameter Switchboard sets on every run it starts, so a retried trigger can find its run. */
export const triggerIdParameter = "switchboardTriggerId";

/**
 * What is wrong with parameter values for a pipeline, judged against its declared parameters: names
 * it does not declare, values of the wrong type, declared parameters without a default left out, and
 * the one parameter Switchboard sets itself. Empty when createRun may be called with them.
 */
export function parameterProblems(
  declared: Record<string, ParameterSpecification>,
  given: Record<string, unknown>,
): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  for (const [name, value] of Object.entries(given)) {
    const spec = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (name === triggerIdParameter) problems.push({ name, message: `${name} is set by Switchboard` });
    else if (!spec) problems.push({ name, message: `the pipeline has no parameter ${name}` });
    else if (!(typeChecks[spec.type.toLowerCase()] ?? (() => true))(value))
      problems.push({ name, message: `${name} must be of type ${spec.type}` });
  }
  for (const [name, spec] of Object.entries(declared))
    if (name !== triggerIdParameter && spec.defaultValue === undefined && !Object.hasOwn(given, name))
      problems.push({ name, message: `${name} is required (it has no default)` });
  return problems;
}
