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
