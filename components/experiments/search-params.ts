/** Next's searchParams with repeated keys (checkbox groups) joined by commas, which the zod schemas split again. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    result[key] = Array.isArray(value) ? value.join(",") : value;
  }
  return result;
}

/** The cookie remembering an experiment's chosen columns (components/experiments/remember-columns.tsx). */
export const columnsCookieName = (experimentId: string) =>
  `sb-columns-${experimentId.replace(/[^\w-]/g, "")}`;

/** The remembered columns, or null for a missing or unreadable cookie (it is the browser's word, so checked). */
export function parseRememberedColumns(
  value: string | undefined,
): { params: string[]; metrics: string[] } | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(decodeURIComponent(value)) as unknown;
    const list = (v: unknown) =>
      Array.isArray(v) && v.every((s) => typeof s === "string" && s.length <= 250)
        ? (v as string[]).slice(0, 50)
        : null;
    const params = list((parsed as { params?: unknown })?.params);
    const metrics = list((parsed as { metrics?: unknown })?.metrics);
    return params && metrics ? { params, metrics } : null;
  } catch {
    return null;
  }
}
