/** Next's searchParams with repeated keys (checkbox groups) joined by commas, which the zod schemas split again. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    result[key] = Array.isArray(value) ? value.join(",") : value;
  }
  return result;
}
