/**
 * How fresh a feature view's online values are. Feast's online store returns a feature as unset once
 * its event timestamp is older than the view's TTL (FeatureViewSpec.ttl), and values only reach the
 * online store by materialization, so a view whose last materialized interval ended more than a TTL
 * ago is serving nothing useful for entities that were not updated since: it is stale.
 */

export type FreshnessState =
  /** Online, materialized within its TTL. */
  | "fresh"
  /** Online, and its last materialized interval ended more than a TTL ago. */
  | "stale"
  /** Online but never materialized. */
  | "never"
  /** Online with no TTL (values never expire): the age is shown, not judged. */
  | "unbounded"
  /** Not served online: read offline for training only, never materialized. */
  | "offline";

export interface Freshness {
  state: FreshnessState;
  /** End of the newest materialized interval (ISO), or null. */
  lastMaterializedAt: string | null;
  ageSeconds: number | null;
  ttlSeconds: number;
}

export interface FreshnessInput {
  isOnline: boolean;
  ttlSeconds: number;
  /** Materialized intervals' end times (ISO), in any order. */
  intervalEnds: readonly string[];
  now: number;
}

export function freshnessOf({ isOnline, ttlSeconds, intervalEnds, now }: FreshnessInput): Freshness {
  const ends = intervalEnds.map((end) => Date.parse(end)).filter((ms) => Number.isFinite(ms));
  const last = ends.length ? Math.max(...ends) : null;
  const lastMaterializedAt = last === null ? null : new Date(last).toISOString();
  const ageSeconds = last === null ? null : Math.max(0, Math.round((now - last) / 1000));
  const state: FreshnessState = !isOnline
    ? "offline"
    : ageSeconds === null
      ? "never"
      : ttlSeconds <= 0
        ? "unbounded"
        : ageSeconds > ttlSeconds
          ? "stale"
          : "fresh";
  return { state, lastMaterializedAt, ageSeconds, ttlSeconds };
}

/** Views that need someone first: stale, then never materialized, then the rest. */
export const freshnessRank: Record<FreshnessState, number> = {
  stale: 0,
  never: 1,
  fresh: 2,
  unbounded: 3,
  offline: 4,
};
