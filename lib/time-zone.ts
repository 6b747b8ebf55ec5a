import "server-only";
import { cookies } from "next/headers";
import { safeTimeZone, TIME_ZONE_COOKIE } from "@/lib/domain/time-zone";

/** The person's time zone as their browser last reported it (components/ui/date-time.tsx), else UTC. */
export async function getTimeZone(): Promise<string> {
  return safeTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
}
