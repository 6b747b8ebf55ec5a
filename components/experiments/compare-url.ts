import type { XAxisKind } from "@/lib/domain/metrics/comparison";

/** Everything a comparison shows, all of it in the URL so the address is the link to share. */
export interface CompareOptions {
  runs: string[];
  metrics: string[];
  x: XAxisKind;
  isLog: boolean;
  /** EMA weight, 0 (off) to 0.99. */
  smoothing: number;
  /** Metric for the parallel-coordinates view. */
  colorBy?: string;
}

const list = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : (value ?? "").split(",")).map((s) => s.trim()).filter(Boolean);

export function parseCompareOptions(raw: Record<string, string | string[] | undefined>): CompareOptions {
  const one = (key: string) => (Array.isArray(raw[key]) ? raw[key]![0] : raw[key]) as string | undefined;
  const smoothing = Number(one("smooth") ?? 0);
  return {
    runs: [...new Set(list(raw.runs))].slice(0, 100),
    metrics: list(raw.metrics),
    x: one("x") === "time" ? "time" : "step",
    isLog: one("log") === "1",
    smoothing: Number.isFinite(smoothing) ? Math.min(Math.max(smoothing, 0), 0.99) : 0,
    colorBy: one("by") || undefined,
  };
}

/** /experiments/compare?runs=a,b&metrics=…&x=time&log=1&smooth=0.6&by=… (defaults left out). */
export function compareUrl(options: CompareOptions): string {
  const parts = [`runs=${options.runs.map(encodeURIComponent).join(",")}`];
  if (options.metrics.length) parts.push(`metrics=${options.metrics.map(encodeURIComponent).join(",")}`);
  if (options.x === "time") parts.push("x=time");
  if (options.isLog) parts.push("log=1");
  if (options.smoothing > 0) parts.push(`smooth=${options.smoothing}`);
  if (options.colorBy) parts.push(`by=${encodeURIComponent(options.colorBy)}`);
  return `/experiments/compare?${parts.join("&")}`;
}

/**
 * The compare API's address for these options. The page preloads it with its HTML and the view
 * fetches it after hydration: the same string, so the fetch is answered by the preload.
 */
export function compareApiUrl(options: CompareOptions): string {
  const query = new URLSearchParams({ runs: options.runs.join(","), x: options.x });
  if (options.metrics.length) query.set("metrics", options.metrics.join(","));
  return `/api/experiments/compare?${query}`;
}
