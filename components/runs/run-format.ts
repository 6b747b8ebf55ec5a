/** How long a run has taken: from start (or launch) to its end, or to now while it is going. */
export function runDurationMs(
  run: { createdAt: string; startedAt: string | null; finishedAt: string | null },
  now = Date.now(),
): number {
  const from = Date.parse(run.startedAt ?? run.createdAt);
  const to = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, to - from);
}

export function progressText(run: { epochsDone: number | null; epochsTotal: number | null }): string {
  if (!run.epochsTotal) return "–";
  return `${run.epochsDone ?? 0} / ${run.epochsTotal} epochs`;
}

/** Poll quickly while anything moves, not at all once everything has ended. */
export const livePollMs = 2_000;

/** Our JSON error body, as a sentence and per-field messages keyed by the zod path ("params.epochs"). */
export async function readApiError(
  response: Response,
): Promise<{ message: string; fieldErrors: Record<string, string> }> {
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string; details?: { path?: (string | number)[]; message?: string }[] };
  } | null;
  const fieldErrors: Record<string, string> = {};
  for (const issue of Array.isArray(body?.error?.details) ? body.error.details : []) {
    const key = (issue.path ?? []).join(".");
    if (key && issue.message && !fieldErrors[key]) fieldErrors[key] = issue.message;
  }
  return { message: body?.error?.message ?? `Request failed (${response.status})`, fieldErrors };
}
