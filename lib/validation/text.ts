/**
 * Text a person may send. PostgreSQL cannot store NUL, a lone UTF-16 surrogate cannot be encoded,
 * and every pattern downstream must run on bounded input, so these are refused before any schema
 * or regular expression sees the value.
 */
export const maxTextLength = 20_000;

const unsafeCharacter = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be accepted, or null when it can. */
export function textProblem(value: string, maxLength = maxTextLength): string | null {
  if (value.length > maxLength) return `at most ${maxLength} characters`;
  if (unsafeCharacter.test(value)) return "contains a NUL character or broken Unicode (a lone surrogate)";
  return null;
}

/** No input of ours nests deeper; a body of 5,000 nested arrays once overflowed the stack (a 500). */
const maxDepth = 32;

/** The first string (or object key) anywhere in a parsed JSON value or query that cannot be accepted. */
export function findUnsafeText(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; message: string } | null {
  if (path.length > maxDepth)
    return { path: path.slice(0, maxDepth), message: `nested more than ${maxDepth} levels deep` };
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? { path, message: problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnsafeText(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnsafeText(key, [...path, key]) ?? findUnsafeText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A route segment as the name it stands for (tolerates segments that arrive already decoded). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
