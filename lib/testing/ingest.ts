import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";

/** Test helpers: a KServe logger's binary-mode headers, and the stored outcome counters. */

/** A request event for models/<service> as KServe's logger sends it; `undefined` removes a header. */
export function loggerHeaders(
  secret: string,
  overrides: Record<string, string | undefined> = {},
  service = "churn-classifier",
): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    authorization: `Bearer ${secret}`,
    "content-type": "application/json",
    "ce-specversion": "1.0",
    "ce-id": randomBytes(8).toString("hex"),
    "ce-type": "org.kubeflow.serving.inference.request",
    "ce-source": "http://localhost:9081/",
    "ce-time": new Date().toISOString(),
    "ce-inferenceservicename": service,
    "ce-namespace": "models",
    "ce-endpoint": "default",
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** ingest_counters summed over hours, by outcome. */
export async function storedOutcomeCounts(db: PrismaClient): Promise<Record<string, number>> {
  const rows = await db.ingestCounter.findMany({ select: { outcome: true, count: true } });
  const totals: Record<string, number> = {};
  for (const row of rows) totals[row.outcome] = (totals[row.outcome] ?? 0) + row.count;
  return totals;
}
