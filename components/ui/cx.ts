/** Joins class names, skipping falsy parts. A caller's `className` is appended last (no merging). */
export function cx(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ");
}
