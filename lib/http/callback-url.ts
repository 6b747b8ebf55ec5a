const base = "http://switchboard.invalid";

/**
 * Where to send a person after signing in: a path on this site only. Parsed as a browser would, so
 * `/\evil.example/` and `/<tab>/evil.example` (both read as `//evil.example` by browsers) go home.
 */
export function safeCallbackPath(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw?.startsWith("/") || raw.length > 2_000 || !URL.canParse(raw, base)) return "/";
  const url = new URL(raw, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
}
