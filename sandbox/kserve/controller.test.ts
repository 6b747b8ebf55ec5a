import { describe, expect, it } from "vitest";
import { emptyController, reconcile, type ServiceRecord } from "./controller";

const timing = { acceptSeconds: 1, loadSeconds: () => 10 };
const t0 = Date.parse("2026-11-01T00:00:00Z");
const at = (seconds: number) => new Date(t0 + seconds * 1000);

function spec(storageUri: string, canary?: number) {
  return {
    predictor: {
      model: { modelFormat: { name: "sklearn" }, storageUri },
      ...(canary === undefined ? {} : { canaryTrafficPercent: canary }),
    },
  };
}

function create(storageUri: string): ServiceRecord {
  return {
    namespace: "models",
    name: "churn",
    generation: 1,
    annotations: {},
    spec: spec(storageUri),
    specChangedAt: at(0).toISOString(),
    controller: emptyController(),
    status: {},
  };
}

/** Writes a new spec at `seconds` and reconciles until `until`. */
function write(record: ServiceRecord, next: ReturnType<typeof spec>, seconds: number, until: number) {
  const changed = {
    ...record,
    generation: record.generation + 1,
    spec: next,
    specChangedAt: at(seconds).toISOString(),
  };
  return reconcile(changed, at(until), timing);
}

const traffic = (record: ServiceRecord) =>
  record.controller.traffic.map((t) => `${t.revisionName}:${t.percent}`);
const condition = (record: ServiceRecord, type: string) =>
  (record.status.conditions as Array<{ type: string; status: string; reason?: string }>).find(
    (c) => c.type === type,
  );

describe("the KServe controller", () => {
  it("creates the first revision after a delay and routes all traffic to it once ready", () => {
    const record = create("s3://m/1");
    expect(reconcile(record, at(0.5), timing).record.status).toEqual({});
    const loading = reconcile(record, at(5), timing).record;
    expect(loading.status).toMatchObject({
      observedGeneration: 1,
      modelStatus: { transitionStatus: "InProgress" },
    });
    expect(condition(loading, "Ready")).toMatchObject({ status: "Unknown", reason: "RevisionMissing" });
    const { record: ready, trafficChanges } = reconcile(record, at(20), timing);
    expect(traffic(ready)).toEqual(["churn-predictor-00001:100"]);
    expect(trafficChanges).toEqual([
      { at: at(11).toISOString(), split: [{ revisionName: "churn-predictor-00001", percent: 100 }] },
    ]);
    expect(condition(ready, "Ready")?.status).toBe("True");
    expect(ready.status).toMatchObject({
      components: { predictor: { latestRolledoutRevision: "churn-predictor-00001" } },
      modelStatus: { transitionStatus: "UpToDate" },
    });
  });

  it("splits traffic for a canary, then promotes it or rolls it back", () => {
    const v1 = reconcile(create("s3://m/1"), at(20), timing).record;
    const canary = write(v1, spec("s3://m/2", 10), 100, 200).record;
    expect(traffic(canary)).toEqual(["churn-predictor-00002:10", "churn-predictor-00001:90"]);
    expect(canary.controller.traffic[1]).toMatchObject({ tag: "prev", latestRevision: false });
    expect(canary.status).toMatchObject({
      components: {
        predictor: {
          latestReadyRevision: "churn-predictor-00002",
          latestRolledoutRevision: "churn-predictor-00001",
        },
      },
    });

    const promoted = write(canary, spec("s3://m/2"), 300, 302).record;
    expect(traffic(promoted)).toEqual(["churn-predictor-00002:100"]);
    expect(promoted.controller.revisions).toHaveLength(2); // removing the field changes no template
    expect(promoted.status).toMatchObject({
      components: {
        predictor: {
          latestRolledoutRevision: "churn-predictor-00002",
          previousRolledoutRevision: "churn-predictor-00001",
        },
      },
    });

    const rolledBack = write(canary, spec("s3://m/2", 0), 300, 302).record;
    expect(traffic(rolledBack)).toEqual(["churn-predictor-00002:0", "churn-predictor-00001:100"]);
  });

  it("rolls back a promoted revision to the one rolled out before it", () => {
    const v1 = reconcile(create("s3://m/1"), at(20), timing).record;
    const v2 = write(v1, spec("s3://m/2"), 100, 200).record;
    expect(traffic(v2)).toEqual(["churn-predictor-00002:100"]);
    const back = write(v2, spec("s3://m/2", 0), 300, 302).record;
    expect(traffic(back)).toEqual(["churn-predictor-00002:0", "churn-predictor-00001:100"]);
  });

  it("keeps serving the old revision while a canary loads, and blocks on a model that cannot load", () => {
    const v1 = reconcile(create("s3://m/1"), at(20), timing).record;
    const loading = write(v1, spec("s3://m/2", 10), 100, 105).record;
    // Both targets resolve to the only ready revision, as Knative reports a split over one revision.
    expect(traffic(loading)).toEqual(["churn-predictor-00001:10", "churn-predictor-00001:90"]);
    const broken = write(v1, spec("s3://m/broken-2", 10), 100, 200).record;
    expect(broken.status).toMatchObject({
      modelStatus: {
        transitionStatus: "BlockedByFailedLoad",
        lastFailureInfo: { reason: "ModelLoadFailed", modelRevisionName: "churn-predictor-00002" },
      },
      components: {
        predictor: {
          latestCreatedRevision: "churn-predictor-00002",
          latestReadyRevision: "churn-predictor-00001",
        },
      },
    });
    expect(condition(broken, "PredictorReady")).toMatchObject({ status: "False", reason: "RevisionFailed" });
    expect(condition(broken, "IngressReady")?.status).toBe("True");
    expect(condition(broken, "Ready")?.status).toBe("False");
    expect(broken.controller.traffic.every((t) => t.revisionName === "churn-predictor-00001")).toBe(true);
  });

  it("replays missed events in order when it reconciles late", () => {
    const record = create("s3://m/1");
    const late = reconcile(record, at(3600), timing);
    const onTime = reconcile(reconcile(record, at(5), timing).record, at(3600), timing);
    expect(late.record.status).toEqual(onTime.record.status);
    expect(late.trafficChanges).toEqual(onTime.trafficChanges);
    expect(late.nextDueAt).toBeUndefined();
  });
});
