import type { ServiceSummary } from "@/lib/clients/kserve";

/**
 * Reads a KServe InferenceService's status to decide whether one traffic change (canary, promote,
 * roll back) has finished, is still under way, or has failed. Pure, so every case is unit tested
 * against summaries instead of a cluster.
 */

export type RolloutAction = "CANARY" | "PROMOTE" | "ROLLBACK";

export interface RolloutAssessment {
  outcome: "waiting" | "succeeded" | "failed";
  /** A short sentence for the request page. */
  step: string;
  message?: string;
  /** The revision the change is about (the canary, the promoted one, the one rolled back to). */
  revisionName?: string;
  /** The revision that served before the change. */
  previousRevision?: string;
}

/** Canary traffic is configurable per model policy; KServe accepts 0–100 but 0 would be a rollback. */
export const canaryPercentRange = { min: 1, max: 99, default: 10 } as const;

const percentOf = (summary: ServiceSummary, revisionName: string | undefined) =>
  summary.traffic.find((t) => t.revisionName === revisionName)?.percent ?? 0;

function failureOf(summary: ServiceSummary): string | undefined {
  const isLoadFailure =
    summary.transitionStatus === "BlockedByFailedLoad" || summary.failing?.reason === "RevisionFailed";
  if (!isLoadFailure) return undefined;
  const revision = summary.revisions.latestCreated ?? "the new revision";
  return `${revision} failed to become ready: ${summary.failing?.message ?? "the model did not load"}`;
}

export function assessRollout(
  action: RolloutAction,
  summary: ServiceSummary,
  expected: { canaryPercent?: number | null } = {},
): RolloutAssessment {
  const { latestCreated, latestReady, latestRolledout, previousRolledout } = summary.revisions;
  if (!summary.isReconciled) return { outcome: "waiting", step: "Waiting for KServe to accept the change" };

  if (action === "ROLLBACK") {
    const serving = summary.traffic.find((t) => t.percent === 100);
    if (!serving) return { outcome: "waiting", step: "Moving traffic back to the previous revision" };
    if (serving.revisionName === latestCreated && latestCreated === latestReady) {
      return {
        outcome: "failed",
        step: "Nothing to roll back to",
        message: `${latestCreated} is the only revision that has served; there is no earlier one to return to.`,
        revisionName: latestCreated,
      };
    }
    return {
      outcome: "succeeded",
      step: `All traffic back on ${serving.revisionName}`,
      revisionName: serving.revisionName,
      previousRevision: latestCreated,
    };
  }

  const failure = failureOf(summary);
  if (failure)
    return {
      outcome: "failed",
      step: "New revision failed to load",
      message: failure,
      revisionName: latestCreated,
      previousRevision: latestRolledout,
    };
  if (!latestReady || latestCreated !== latestReady)
    return {
      outcome: "waiting",
      step: `Loading ${latestCreated ?? "the new revision"}`,
      revisionName: latestCreated,
    };

  if (action === "PROMOTE") {
    if (percentOf(summary, latestReady) !== 100)
      return { outcome: "waiting", step: `Moving all traffic to ${latestReady}`, revisionName: latestReady };
    const previous = latestRolledout === latestReady ? previousRolledout : latestRolledout;
    return {
      outcome: "succeeded",
      step: `${latestReady} takes 100% of traffic`,
      revisionName: latestReady,
      previousRevision: previous,
    };
  }

  const others = summary.traffic.filter((t) => t.revisionName !== latestReady && t.percent > 0);
  const wanted = others.length ? (expected.canaryPercent ?? canaryPercentRange.default) : 100;
  const percent = percentOf(summary, latestReady);
  if (percent !== wanted)
    return {
      outcome: "waiting",
      step: `Shifting ${wanted}% of traffic to ${latestReady}`,
      revisionName: latestReady,
    };
  const previous = others[0]?.revisionName;
  const step = previous
    ? `Canary ${latestReady} takes ${percent}% of traffic, ${previous} the rest`
    : `${latestReady} takes all traffic (no earlier revision to split with)`;
  return { outcome: "succeeded", step, revisionName: latestReady, previousRevision: previous };
}

/** Delayed re-checks: quick while KServe accepts the change, then every `maxMs`. */
export function nextCheckDelayMs(check: number, { minMs = 1_000, maxMs = 15_000 } = {}): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(check, 10));
}

/** A change still not settled after this long is failed rather than followed forever. */
export const rolloutTimeoutMs = 30 * 60_000;
