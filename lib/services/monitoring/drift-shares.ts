import type { PrismaClient } from "@/lib/db/client";

/** Drift older than this is stale: the payload logger stopped, so it says nothing about now. */
export const driftFreshnessMs = 60 * 60_000;

/**
 * The latest dataset drift share per service of a namespace (monitoring.compute-drift's results,
 * issue 6 part A), in one query for the whole namespace. Services without a fresh window are absent.
 */
export async function latestDriftShares(
  db: Pick<PrismaClient, "driftWindowResult">,
  namespace: string,
  now = Date.now(),
): Promise<Map<string, { share: number; windowStart: string }>> {
  const rows = await db.driftWindowResult.findMany({
    where: { monitor: { namespace }, windowStart: { gte: new Date(now - driftFreshnessMs) } },
    orderBy: { windowStart: "desc" },
    select: { share: true, windowStart: true, monitor: { select: { serviceName: true } } },
    take: 2000,
  });
  const shares = new Map<string, { share: number; windowStart: string }>();
  for (const row of rows)
    if (!shares.has(row.monitor.serviceName))
      shares.set(row.monitor.serviceName, { share: row.share, windowStart: row.windowStart.toISOString() });
  return shares;
}
