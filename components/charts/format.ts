import {
  formatBytes,
  formatCompactNumber,
  formatDuration,
  formatNumber,
  formatPercent,
  toDate,
} from "@/components/ui/format";

/**
 * Units a chart's values are in. Known units get a matching formatter ("ms" → "1.2 s", "share" → "12.5%");
 * anything else is appended to the number ("req/s").
 */
export type ChartUnit = "ms" | "share" | "bytes" | "count" | (string & {});

export type XKind = "step" | "time";

/** Up to `significant` significant digits without trailing zeros (1.230 → "1.23", 0.000123 → "0.000123"). */
function formatSignificant(value: number, significant: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 10_000) return formatCompactNumber(value);
  if (magnitude < 1e-4) return value.toExponential(1);
  const rounded = Number(value.toPrecision(significant));
  const decimals = Math.max(0, significant - 1 - Math.floor(Math.log10(magnitude)));
  return formatNumber(rounded, Math.min(decimals, 6));
}

/** Axis ticks: short (3 significant digits, compact above 10k). */
export function formatAxisValue(value: number, unit?: ChartUnit, significant = 3): string {
  if (!Number.isFinite(value)) return "";
  if (unit === "share") return `${formatSignificant(value * 100, significant - 1)}%`;
  if (unit === "ms") return formatDuration(value);
  if (unit === "bytes") return formatBytes(value);
  return formatSignificant(value, significant);
}

/**
 * Labels for one axis's ticks: as short as formatAxisValue makes them, with more digits only when
 * two ticks would otherwise read the same ("0.8, 0.8, 0.801" becomes "0.7995, 0.8, 0.8005").
 */
export function formatAxisTicks(ticks: number[], unit?: ChartUnit): Map<number, string> {
  let labels: string[] = [];
  for (let significant = 3; significant <= 10; significant += 1) {
    labels = ticks.map((tick) => formatAxisValue(tick, unit, significant));
    if (new Set(labels).size === labels.length) break;
  }
  return new Map(ticks.map((tick, i) => [tick, labels[i]]));
}

/** Tooltips, legends and the text alternative: more precise, with the unit. */
export function formatChartValue(value: number | null | undefined, unit?: ChartUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  // Small shares (error rates) need the extra digit: 0.04% is not 0.0%.
  if (unit === "share") return formatPercent(value, Math.abs(value) < 0.01 ? 2 : 1);
  if (unit === "ms") return formatDuration(value);
  if (unit === "bytes") return formatBytes(value);
  const number = formatSignificant(value, 4);
  return unit && unit !== "count" ? `${number} ${unit}` : number;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Time ticks in UTC, as precise as the visible span needs: "14:05", "26 Nov 14:00", "26 Nov". */
export function formatTimeTick(epochMs: number, spanMs: number): string {
  const d = toDate(epochMs);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  if (spanMs <= 36 * 3_600_000) return hm;
  if (spanMs <= 8 * 86_400_000) return `${day} ${hm}`;
  return day;
}

/** x for ticks (compact) or for tooltips (full), by kind of axis. */
export function formatXValue(x: number, kind: XKind, spanMs: number, { isFull = false } = {}): string {
  if (kind === "step")
    return isFull || Math.abs(x) < 10_000
      ? `${isFull ? "Step " : ""}${formatNumber(x, 0)}`
      : formatCompactNumber(x);
  if (isFull) {
    const d = toDate(x);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  }
  return formatTimeTick(x, spanMs);
}
