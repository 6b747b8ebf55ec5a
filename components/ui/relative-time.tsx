"use client";

import { useEffect, useState } from "react";
import { useTimeZone } from "./date-time";
import { formatDateTime, formatRelativeTime, relativeTimeRefreshMs, toDate, type DateInput } from "./format";

export interface RelativeTimeProps {
  date: DateInput;
  className?: string;
}

/** "3 min ago" that keeps itself current; the exact time (in the person's zone) is in the title and the datetime attribute. */
export function RelativeTime({ date, className }: RelativeTimeProps) {
  const [now, setNow] = useState(() => Date.now());
  const timeZone = useTimeZone();
  const time = toDate(date);

  useEffect(() => {
    setNow(Date.now());
  }, [date]);

  useEffect(() => {
    const timer = setTimeout(() => setNow(Date.now()), relativeTimeRefreshMs(date, now));
    return () => clearTimeout(timer);
  }, [date, now]);

  if (Number.isNaN(time.getTime())) return <span className={className}>—</span>;
  return (
    // The server's "now" differs from the browser's by the response time; the effect above corrects it.
    <time
      dateTime={time.toISOString()}
      title={formatDateTime(time, { withSeconds: true, timeZone })}
      className={className}
      suppressHydrationWarning
    >
      {formatRelativeTime(time, now)}
    </time>
  );
}
