import { describe, expect, it } from "vitest";
import type { ServiceSummary } from "@/lib/clients/kserve";
import { assessRollout, nextCheckDelayMs } from "./progress";

const r = (n: number) => `churn-predictor-0000${n}`;

function summary(
  overrides: Partial<ServiceSummary> & { split?: Array<[number, number]> } = {},
): ServiceSummary {
  const { split = [[1, 100]], ...rest } = overrides;
  return {
    name: "churn",
    namespace: "models",
    isReady: true,
    isReconciled: true,
    model: {},
    isCanaryInProgress: split.length > 1,
    revisions: { latestCreated: r(1), latestReady: r(1), latestRolledout: r(1) },
    traffic: split.map(([n, percent]) => ({ revisionName: r(n), percent, tags: [], isLatest: false })),
    ...rest,
  };
}

describe("assessRollout: canary", () => {
  it("waits for the controller, then for the new revision to load, then for the split", () => {
    expect(assessRollout("CANARY", summary({ isReconciled: false })).outcome).toBe("waiting");
    const loading = summary({ revisions: { latestCreated: r(2), latestReady: r(1), latestRolledout: r(1) } });
    expect(assessRollout("CANARY", loading, { canaryPercent: 10 })).toMatchObject({
      outcome: "waiting",
      step: `Loading ${r(2)}`,
    });
    const wrongSplit = summary({
      revisions: { latestCreated: r(2), latestReady: r(2), latestRolledout: r(1) },
      split: [
        [1, 80],
        [2, 20],
      ],
    });
    expect(assessRollout("CANARY", wrongSplit, { canaryPercent: 10 }).outcome).toBe("waiting");
  });

  it("succeeds at the requested split, naming the new and previous revisions", () => {
    const split = summary({
      revisions: { latestCreated: r(2), latestReady: r(2), latestRolledout: r(1) },
      split: [
        [1, 90],
        [2, 10],
      ],
    });
    expect(assessRollout("CANARY", split, { canaryPercent: 10 })).toMatchObject({
      outcome: "succeeded",
      revisionName: r(2),
      previousRevision: r(1),
    });
  });

  it("succeeds at 100% when there was no earlier revision to split with", () => {
    expect(assessRollout("CANARY", summary(), { canaryPercent: 10 })).toMatchObject({
      outcome: "succeeded",
      revisionName: r(1),
      previousRevision: undefined,
    });
  });

  it("fails with KServe's message when the new revision cannot load", () => {
    const blocked = summary({
      isReady: false,
      transitionStatus: "BlockedByFailedLoad",
      failing: {
        type: "PredictorReady",
        status: "False",
        reason: "RevisionFailed",
        message: "failed to download model",
      },
      revisions: { latestCreated: r(2), latestReady: r(1), latestRolledout: r(1) },
    });
    expect(assessRollout("CANARY", blocked, { canaryPercent: 10 })).toMatchObject({
      outcome: "failed",
      revisionName: r(2),
      previousRevision: r(1),
    });
    expect(assessRollout("CANARY", blocked).message).toContain("failed to download model");
  });
});

describe("assessRollout: promote and roll back", () => {
  it("promotes once the latest revision takes all traffic", () => {
    const split = summary({
      revisions: { latestCreated: r(2), latestReady: r(2), latestRolledout: r(1) },
      split: [
        [1, 90],
        [2, 10],
      ],
    });
    expect(assessRollout("PROMOTE", split).outcome).toBe("waiting");
    const promoted = summary({
      revisions: { latestCreated: r(2), latestReady: r(2), latestRolledout: r(2), previousRolledout: r(1) },
      split: [[2, 100]],
    });
    expect(assessRollout("PROMOTE", promoted)).toMatchObject({
      outcome: "succeeded",
      revisionName: r(2),
      previousRevision: r(1),
    });
  });

  it("rolls back once an earlier revision takes all traffic", () => {
    const split = summary({
      revisions: { latestCreated: r(2), latestReady: r(2), latestRolledout: r(1) },
      split: [
        [1, 90],
        [2, 10],
      ],
    });
    expect(assessRollout("ROLLBACK", split).outcome).toBe("waiting");
    const back = summary({
      revisions: { latestCreated: r(2), latestReady: r(2), latestRolledout: r(1) },
      split: [
        [1, 100],
        [2, 0],
      ],
    });
    expect(assessRollout("ROLLBACK", back)).toMatchObject({
      outcome: "succeeded",
      revisionName: r(1),
      previousRevision: r(2),
    });
  });

  it("refuses a rollback when only one revision ever served", () => {
    expect(assessRollout("ROLLBACK", summary())).toMatchObject({
      outcome: "failed",
      step: "Nothing to roll back to",
    });
  });
});

describe("nextCheckDelayMs", () => {
  it("backs off from min to max", () => {
    expect([0, 1, 2, 3, 4, 5, 20].map((c) => nextCheckDelayMs(c))).toEqual([
      1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
  });
});
