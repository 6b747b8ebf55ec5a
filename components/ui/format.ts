import { safeTimeZone, TIME_ZONE_COOKIE } from "@/lib/domain/time-zone";

// Display formatting shared by tables, stats and charts. A fixed locale, and the person's zone from
// a cookie the server also reads, keep the server's HTML identical to the browser's first render.
const LOCALE = "en-AU";

export type DateInput = Date | string | number;

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });

export function toDate(input: DateInput): Date {
  return input instanceof Date ? input : new Date(input);
}

function isMissing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || Number.isNaN(value);
}

/** Dash for missing values so empty cells read as "no value", not as zero. */
export const MISSING = "—";

export function formatNumber(value: number | null | undefined, maximumFractionDigits = 2): string {
  if (isMissing(value)) return MISSING;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const magnitude = Math.abs(value);
  // A small non-zero value must not print as "0" (a loss of 0.0004 is not zero).
  if (maximumFractionDigits > 0 && magnitude !== 0 && magnitude < 0.5 * 10 ** -maximumFractionDigits)
    return value.toExponential(2);
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits }).format(value);
}

export function formatInteger(value: number | null | undefined): string {
  return isMissing(value) ? MISSING : integerFormat.format(value);
}

export function formatCompactNumber(value: number | null | undefined): string {
  return isMissing(value) ? MISSING : compactFormat.format(value);
}

/** "US$2.48" in the given ISO 4217 currency; small sums keep their cents. */
export function formatMoney(value: number | null | undefined, currency: string): string {
  if (isMissing(value)) return MISSING;
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency,
    currencyDisplay: "symbol",
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}

/** `share` is 0–1 (0.123 → "12.3%"). */
export function formatPercent(share: number | null | undefined, fractionDigits = 1): string {
  if (isMissing(share)) return MISSING;
  return `${(share * 100).toFixed(fractionDigits)}%`;
}

/** Signed change, e.g. for deltas: +1.2, −0.4 (true minus sign, so columns align). */
export function formatSigned(value: number, format: (n: number) => string = (n) => formatNumber(n)): string {
  if (value === 0) return format(0);
  return `${value > 0 ? "+" : "−"}${format(Math.abs(value))}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (isMissing(ms)) return MISSING;
  const sign = ms < 0 ? "−" : "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${sign}${days}d ${hours}h`;
  if (hours > 0) return `${sign}${hours}h ${String(minutes).padStart(2, "0")}m`;
  return `${sign}${minutes}m ${String(seconds).padStart(2, "0")}s`;
}

const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB"] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (isMissing(bytes)) return MISSING;
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${bytes < 0 ? "−" : ""}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export { safeTimeZone, TIME_ZONE_COOKIE };

const zonedFormats = new Map<string, Intl.DateTimeFormat>();
function zonedFormat(timeZone: string) {
  let format = zonedFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    zonedFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The one date-and-time format: "2026-11-27 06:23 AEDT" in the person's time zone (UTC when not
 * known; add seconds for titles and audit detail). Pages use <DateTime>, which picks the zone.
 */
export function formatDateTime(
  input: DateInput,
  { withSeconds = false, timeZone = "UTC" }: { withSeconds?: boolean; timeZone?: string } = {},
): string {
  const d = toDate(input);
  if (Number.isNaN(d.getTime())) return MISSING;
  const part = Object.fromEntries(
    zonedFormat(safeTimeZone(timeZone))
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}${withSeconds ? `:${part.second}` : ""} ${part.timeZoneName}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "3 min ago", "in 5 min", "just now"; beyond a week, the date ("12 Nov", or "12 Nov 2025" in another year). */
export function formatRelativeTime(input: DateInput, now: DateInput = Date.now()): string {
  const then = toDate(input).getTime();
  const reference = toDate(now).getTime();
  if (Number.isNaN(then)) return MISSING;
  const deltaSeconds = Math.round((reference - then) / 1000);
  const abs = Math.abs(deltaSeconds);
  const phrase = (amount: number, unit: string) =>
    deltaSeconds >= 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
  if (abs < 10) return "just now";
  if (abs < 60) return phrase(abs, "s");
  if (abs < 3600) return phrase(Math.floor(abs / 60), "min");
  if (abs < 86_400) return phrase(Math.floor(abs / 3600), "h");
  if (abs < 7 * 86_400) return phrase(Math.floor(abs / 86_400), "d");
  const d = new Date(then);
  const sameYear = d.getUTCFullYear() === new Date(reference).getUTCFullYear();
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${sameYear ? "" : ` ${d.getUTCFullYear()}`}`;
}

/** How long until the relative label can change, so a ticking clock re-renders only when needed. */
export function relativeTimeRefreshMs(input: DateInput, now: DateInput = Date.now()): number {
  const abs = Math.abs(toDate(now).getTime() - toDate(input).getTime());
  if (abs < 60_000) return 5_000;
  if (abs < 3_600_000) return 30_000;
  return 300_000;
}
