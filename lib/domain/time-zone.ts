/** The cookie holding the browser's IANA time zone, so the server renders dates the way the browser will. */
export const TIME_ZONE_COOKIE = "sb-tz";

/** A zone Intl knows, else UTC: the cookie comes from the browser and is not trusted. */
export function safeTimeZone(zone: string | null | undefined): string {
  if (!zone || zone.length > 64) return "UTC";
  try {
    new Intl.DateTimeFormat("en-AU", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * How far the zone's wall clock is ahead of UTC at that instant, in milliseconds (AEDT: +11 h,
 * India: +5.5 h), so time-axis ticks can fall on the person's whole hours and midnights.
 */
export function zoneOffsetMs(epochMs: number, zone: string): number {
  const timeZone = safeTimeZone(zone);
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
    offsetFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, Number(p.value)]));
  const wallClock = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
  return wallClock - Math.floor(epochMs / 1000) * 1000;
}
