import { describe, expect, it } from "vitest";
import {
  previousVersionAnnotation,
  servedModelAnnotation,
  servedModelOf,
  servedVersionAnnotation,
  servesModel,
  servingRevisionsOf,
  storageUriForVersion,
} from "./serving-map";

const service = (storageUri: string | undefined, annotations?: Record<string, string>) => ({
  metadata: { name: "churn-classifier", namespace: "models", annotations },
  spec: { predictor: { model: storageUri ? { modelFormat: { name: "sklearn" }, storageUri } : undefined } },
});

describe("servedModelOf", () => {
  it("prefers the annotations over anything the storage URI suggests", () => {
    const annotated = service("https://acct.blob.core.windows.net/models/churn-classifier/2", {
      [servedModelAnnotation]: "main.ml.churn_classifier",
      [servedVersionAnnotation]: "3",
    });
    expect(servedModelOf(annotated, ["churn-classifier"])).toEqual({
      modelName: "main.ml.churn_classifier",
      version: "3",
      source: "annotation",
    });
  });

  it("reads an MLflow models:/ URI", () => {
    expect(servedModelOf(service("models:/fraud%20model/7"))).toEqual({
      modelName: "fraud model",
      version: "7",
      source: "models-uri",
    });
  });

  it("reads the <model>/<version> storage layout only for a known model name", () => {
    const seeded = service("https://switchboardmodels.blob.core.windows.net/models/churn-classifier/2");
    expect(servedModelOf(seeded, ["network-anomaly-detector", "churn-classifier"])).toEqual({
      modelName: "churn-classifier",
      version: "2",
      source: "storage-path",
    });
    expect(servedModelOf(seeded, ["churn"])).toBeUndefined();
    expect(servesModel(seeded, "churn-classifier")).toBe(true);
    expect(servesModel(seeded, "network-anomaly-detector")).toBe(false);
  });

  it("links nothing when there is no model or no path", () => {
    expect(servedModelOf(service(undefined), ["churn-classifier"])).toBeUndefined();
    expect(servedModelOf(service("pvc://churn-classifier"), ["churn-classifier"])).toBeUndefined();
  });
});

describe("storageUriForVersion", () => {
  it("swaps the version in a URI that names it, keeping any query", () => {
    expect(
      storageUriForVersion({
        currentUri: "https://acct.blob.core.windows.net/models/churn-classifier/2",
        servedVersion: "2",
        modelName: "churn-classifier",
        version: "4",
      }),
    ).toBe("https://acct.blob.core.windows.net/models/churn-classifier/4");
    expect(
      storageUriForVersion({
        currentUri: "https://acct/m/churn/2?sv=x",
        servedVersion: "2",
        modelName: "churn",
        version: "10",
      }),
    ).toBe("https://acct/m/churn/10?sv=x");
  });

  it("keeps the models:/ form", () => {
    expect(
      storageUriForVersion({
        currentUri: "models:/churn/2",
        servedVersion: "2",
        modelName: "churn",
        version: "3",
      }),
    ).toBe("models:/churn/3");
  });

  it("falls back to the registry's storage location, and refuses when there is none", () => {
    expect(
      storageUriForVersion({
        currentUri: "gs://bucket/latest",
        servedVersion: "2",
        modelName: "churn",
        version: "3",
        registrySource: "abfss://uc@acct/models/v3",
      }),
    ).toBe("abfss://uc@acct/models/v3");
    expect(() =>
      storageUriForVersion({ currentUri: "gs://bucket/latest", modelName: "churn", version: "3" }),
    ).toThrow(RangeError);
  });
});

describe("servedModelOf after a rollback", () => {
  const annotated = (canaryTrafficPercent: number | undefined, previous?: string) => ({
    metadata: {
      name: "churn-classifier",
      namespace: "models",
      annotations: {
        [servedModelAnnotation]: "churn-classifier",
        [servedVersionAnnotation]: "8",
        ...(previous ? { [previousVersionAnnotation]: previous } : {}),
      },
    },
    spec: {
      predictor: {
        canaryTrafficPercent,
        model: { modelFormat: { name: "sklearn" }, storageUri: "https://acct/models/churn-classifier/8" },
      },
    },
  });
  it("names the version rolled back to, not the one the spec still carries at 0%", () => {
    expect(servedModelOf(annotated(0, "7"))).toEqual({
      modelName: "churn-classifier",
      version: "7",
      source: "annotation",
      isRolledBack: true,
    });
    expect(servedModelOf(annotated(10, "7"))?.version).toBe("8");
    expect(servedModelOf(annotated(undefined, "7"))?.version).toBe("8");
  });
  it("says unknown rather than wrong when nothing recorded the previous version", () => {
    expect(servedModelOf(annotated(0))).toMatchObject({ version: undefined, isRolledBack: true });
    expect(
      servedModelOf(
        {
          ...service("https://acct/models/churn-classifier/8"),
          spec: {
            predictor: {
              canaryTrafficPercent: 0,
              model: {
                modelFormat: { name: "sklearn" },
                storageUri: "https://acct/models/churn-classifier/8",
              },
            },
          },
        },
        ["churn-classifier"],
      ),
    ).toMatchObject({ version: undefined, source: "storage-path" });
  });
});

describe("servingRevisionsOf", () => {
  const annotated = (
    canaryTrafficPercent: number | undefined,
    traffic: Array<{ revisionName?: string; latestRevision?: boolean; percent: number }>,
  ) => ({
    metadata: {
      name: "churn-classifier",
      namespace: "models",
      annotations: {
        [servedModelAnnotation]: "churn-classifier",
        [servedVersionAnnotation]: "9",
        [previousVersionAnnotation]: "8",
      },
    },
    spec: {
      predictor: {
        canaryTrafficPercent,
        model: { modelFormat: { name: "sklearn" }, storageUri: "models:/churn-classifier/9" },
      },
    },
    status: {
      components: {
        predictor: {
          latestReadyRevision: "churn-classifier-predictor-00002",
          latestCreatedRevision: "churn-classifier-predictor-00002",
          traffic,
        },
      },
    },
  });

  it("shows both revisions of a 90/10 canary with the version each serves, most traffic first", () => {
    const revisions = servingRevisionsOf(
      annotated(10, [
        { revisionName: "churn-classifier-predictor-00001", percent: 90 },
        { latestRevision: true, percent: 10 },
      ]),
    );
    expect(revisions).toEqual([
      { revisionName: "churn-classifier-predictor-00001", percent: 90, endpoint: "default", version: "8" },
      { revisionName: "churn-classifier-predictor-00002", percent: 10, endpoint: "canary", version: "9" },
    ]);
  });

  it("after a rollback shows only the previous revision, serving the previous version", () => {
    const revisions = servingRevisionsOf(
      annotated(0, [
        { revisionName: "churn-classifier-predictor-00001", percent: 100 },
        { revisionName: "churn-classifier-predictor-00002", latestRevision: true, percent: 0 },
      ]),
    );
    expect(revisions).toEqual([
      { revisionName: "churn-classifier-predictor-00001", percent: 100, endpoint: "default", version: "8" },
    ]);
  });

  it("a settled service is one revision at 100 % serving the spec's version", () => {
    expect(servingRevisionsOf(annotated(undefined, [{ latestRevision: true, percent: 100 }]))).toEqual([
      { revisionName: "churn-classifier-predictor-00002", percent: 100, endpoint: "default", version: "9" },
    ]);
  });
});
