import { Prisma, type PrismaClient } from "@/lib/db/client";
import type { FeatureWindowDelta } from "@/lib/domain/drift/aggregate";

/**
 * The ingest's only writes: histogram increments and outcome counters, each added to what is
 * stored. Increments commute, so every web replica flushes its own and none coordinate.
 */

export interface IngestStore {
  addFeatureWindows(monitorId: string, deltas: readonly FeatureWindowDelta[]): Promise<void>;
  addCounters(hourStart: Date, counts: ReadonlyMap<string, number>): Promise<void>;
}

/** Prisma stores DateTime as UTC `timestamp(3)`; an explicit conversion keeps the server's TimeZone out of it. */
const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/** Rows per statement: 50 features × a few windows fit in one round trip. */
const ROWS_PER_STATEMENT = 500;

export function createIngestStore(db: PrismaClient): IngestStore {
  return {
    async addFeatureWindows(monitorId, deltas) {
      for (let start = 0; start < deltas.length; start += ROWS_PER_STATEMENT) {
        const rows = deltas
          .slice(start, start + ROWS_PER_STATEMENT)
          .map(
            (delta) =>
              Prisma.sql`(${monitorId}::uuid, ${utc(delta.windowStart)}, ${delta.feature}, ${delta.counts}::int[], ${delta.total}::int)`,
          );
        // Element-wise sum of the stored and the new vector; a monitor's layout never changes.
        await db.$executeRaw`
          INSERT INTO feature_windows (monitor_id, window_start, feature, counts, total)
          VALUES ${Prisma.join(rows)}
          ON CONFLICT (monitor_id, window_start, feature) DO UPDATE SET
            counts = (
              SELECT array_agg(coalesce(stored, 0) + coalesce(added, 0) ORDER BY slot)
              FROM unnest(feature_windows.counts, EXCLUDED.counts) WITH ORDINALITY AS pair(stored, added, slot)
            ),
            total = feature_windows.total + EXCLUDED.total`;
      }
    },
    async addCounters(hourStart, counts) {
      if (counts.size === 0) return;
      const rows = [...counts].map(
        ([outcome, count]) => Prisma.sql`(${utc(hourStart)}, ${outcome}, ${count}::int)`,
      );
      await db.$executeRaw`
        INSERT INTO ingest_counters (hour_start, outcome, count) VALUES ${Prisma.join(rows)}
        ON CONFLICT (hour_start, outcome) DO UPDATE SET count = ingest_counters.count + EXCLUDED.count`;
    },
  };
}
