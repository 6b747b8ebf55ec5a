"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, type ReactNode } from "react";
import { formatDateTime, MISSING, TIME_ZONE_COOKIE, toDate, type DateInput } from "./format";

const TimeZoneContext = createContext("UTC");

/**
 * The person's time zone for every date on the page. The server renders with the zone from the
 * cookie (UTC on a first visit), so the browser's first render matches it exactly; if the browser's
 * own zone differs, this stores it and re-renders the page once, server parts included.
 */
export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const router = useRouter();
  useEffect(() => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browserZone || browserZone === timeZone) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browserZone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [timeZone, router]);
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

export const useTimeZone = () => useContext(TimeZoneContext);

/** A formatter bound to the person's zone, for text that cannot be an element (select options, chart ticks). */
export function useFormatDateTime() {
  const timeZone = useTimeZone();
  return (input: DateInput, options: { withSeconds?: boolean } = {}) =>
    formatDateTime(input, { ...options, timeZone });
}

/** The one way a date and time is shown: "2026-11-27 06:23 AEDT", machine-readable in datetime. */
export function DateTime({
  value,
  withSeconds = false,
  className,
}: {
  value: DateInput;
  withSeconds?: boolean;
  className?: string;
}) {
  const timeZone = useTimeZone();
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return <span className={className}>{MISSING}</span>;
  return (
    <time dateTime={date.toISOString()} className={className}>
      {formatDateTime(date, { withSeconds, timeZone })}
    </time>
  );
}
