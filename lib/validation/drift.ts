import { z } from "zod";

export const driftRanges = { "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": 24 * 3_600_000 } as const;

export type DriftRange = keyof typeof driftRanges;

export const serviceDriftQuery = z.object({
  namespace: z.string().min(1).max(253),
  service: z.string().min(1).max(253),
  range: z
    .enum(Object.keys(driftRanges) as [DriftRange, ...DriftRange[]])
    .catch("24h")
    .default("24h"),
  /** A feature name for the overlay; default: the most drifted one of the chosen window. */
  feature: z.string().max(200).optional(),
  /** The served model version whose windows the table and overlay show; default: the one with most traffic. */
  version: z.string().max(100).optional().catch(undefined),
  /** ISO start of the window for the table and overlay; default: the newest. */
  window: z.iso.datetime().optional().catch(undefined),
});

export type ServiceDriftQuery = z.input<typeof serviceDriftQuery>;
/** The query as parsed: range, version and window fall back to their defaults. */
export type ParsedServiceDriftQuery = z.output<typeof serviceDriftQuery>;
