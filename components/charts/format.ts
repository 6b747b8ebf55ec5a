import {
  formatBytes,
  formatCompactNumber,
  formatDuration,
  formatNumber,
  formatDateTime,
  formatPercent,
  safeTimeZone,
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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

const tickFormats = new Map<string, Intl.DateTimeFormat>();
function wallClock(epochMs: number, timeZone: string) {
  const zone = safeTimeZone(timeZone);
  let format = tickFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    tickFormats.set(zone, format);
  }
  const part = Object.fromEntries(format.formatToParts(toDate(epochMs)).map((p) => [p.type, p.value]));
  return { hm: `${part.hour}:${part.minute}`, day: `${Number(part.day)} ${MONTHS[Number(part.month) - 1]}` };
}

/**
 * Time ticks in the person's zone (the one every date on the page uses), as precise as the visible
 * span needs: "14:05", "26 Nov 14:00", "26 Nov". The zone's name is in the chart's text alternative
 * and tooltips, which use the one full format (formatDateTime).
 */
export function formatTimeTick(epochMs: number, spanMs: number, timeZone = "UTC"): string {
  const { hm, day } = wallClock(epochMs, timeZone);
  if (spanMs <= 36 * 3_600_000) return hm;
  if (spanMs <= 8 * 86_400_000) return `${day} ${hm}`;
  return day;
}

/** x for ticks (compact) or for tooltips (full), by kind of axis; times in `timeZone` (UTC when not given). */
export function formatXValue(
  x: number,
  kind: XKind,
  spanMs: number,
  { isFull = false, timeZone = "UTC" }: { isFull?: boolean; timeZone?: string } = {},
): string {
  if (kind === "step")
    return isFull || Math.abs(x) < 10_000
      ? `${isFull ? "Step " : ""}${formatNumber(x, 0)}`
      : formatCompactNumber(x);
  if (isFull) return formatDateTime(x, { withSeconds: true, timeZone });
  return formatTimeTick(x, spanMs, timeZone);
}
