import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CloudApiError } from "../http";
import {
  createKServeClient,
  inferenceServiceSchema,
  isConflict,
  kubernetesTokenFromEnvironment,
  parseKubernetesStatus,
  summariseService,
} from ".";

const service = (status: unknown, spec: Record<string, unknown> = {}) =>
  inferenceServiceSchema.parse({
    apiVersion: "serving.kserve.io/v1beta1",
    kind: "InferenceService",
    metadata: { name: "churn", namespace: "models", generation: 3 },
    spec: {
      predictor: {
        model: { modelFormat: { name: "xgboost" }, storageUri: "s3://m/3", runtime: "kserve-xgbserver" },
        ...spec,
      },
    },
    status,
  });

describe("summariseService", () => {
  it("summarises a canary with its split, adding up targets on one revision", () => {
    const summary = summariseService(
      service(
        {
          observedGeneration: 3,
          url: "http://churn.models.example.com",
          conditions: [
            { type: "IngressReady", status: "True" },
            { type: "PredictorReady", status: "True" },
            { type: "Ready", status: "True" },
          ],
          modelStatus: { transitionStatus: "UpToDate" },
          components: {
            predictor: {
              latestCreatedRevision: "churn-predictor-00003",
              latestReadyRevision: "churn-predictor-00003",
              latestRolledoutRevision: "churn-predictor-00002",
              traffic: [
                { revisionName: "churn-predictor-00003", latestRevision: true, percent: 10, tag: "latest" },
                { revisionName: "churn-predictor-00002", latestRevision: false, percent: 90, tag: "prev" },
              ],
            },
          },
        },
        { canaryTrafficPercent: 10 },
      ),
    );
    expect(summary).toMatchObject({
      isReady: true,
      isReconciled: true,
      failing: undefined,
      model: { format: "xgboost", storageUri: "s3://m/3", runtime: "kserve-xgbserver" },
      canaryTrafficPercent: 10,
      isCanaryInProgress: true,
      revisions: { latestReady: "churn-predictor-00003", latestRolledout: "churn-predictor-00002" },
      url: "http://churn.models.example.com",
    });
    expect(summary.traffic).toEqual([
      { revisionName: "churn-predictor-00002", percent: 90, tags: ["prev"], isLatest: false },
      { revisionName: "churn-predictor-00003", percent: 10, tags: ["latest"], isLatest: true },
    ]);
  });

  it("names the most specific failing condition", () => {
    const summary = summariseService(
      service({
        observedGeneration: 2,
        conditions: [
          { type: "IngressReady", status: "True" },
          {
            type: "PredictorReady",
            status: "False",
            reason: "RevisionFailed",
            message: "model failed to load",
          },
          { type: "Ready", status: "False", reason: "RevisionFailed" },
        ],
        modelStatus: { transitionStatus: "BlockedByFailedLoad" },
      }),
    );
    expect(summary).toMatchObject({
      isReady: false,
      isReconciled: false,
      transitionStatus: "BlockedByFailedLoad",
      failing: { type: "PredictorReady", reason: "RevisionFailed", message: "model failed to load" },
    });
  });

  it("reports a service the controller has not seen yet", () => {
    expect(summariseService(service(undefined))).toMatchObject({
      isReady: false,
      isReconciled: false,
      failing: { type: "Ready", reason: "NotReconciled" },
      traffic: [],
    });
  });
});

describe("Kubernetes errors and tokens", () => {
  it("reads a Status body", () => {
    expect(
      parseKubernetesStatus(409, { kind: "Status", reason: "Conflict", message: "modified", code: 409 }),
    ).toEqual({ errorCode: "Conflict", message: "modified" });
    expect(parseKubernetesStatus(502, "<html>")).toEqual({});
  });

  it("does not retry a conflict and reports it as one", async () => {
    let calls = 0;
    const client = createKServeClient({
      apiUrl: "http://k8s.test",
      fetch: (async () => {
        calls++;
        return new Response(
          JSON.stringify({
            kind: "Status",
            reason: "Conflict",
            message: "the object has been modified",
            code: 409,
          }),
          { status: 409, headers: { "content-type": "application/json" } },
        );
      }) as unknown as typeof fetch,
    });
    const error = await client.rollback("churn", { namespace: "models" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudApiError);
    expect(isConflict(error)).toBe(true);
    expect(calls).toBe(1);
  });

  it("refuses a canary percent outside 0–100 before sending anything", () => {
    const client = createKServeClient({
      apiUrl: "http://k8s.test",
      fetch: (() => Promise.reject(new Error("no network"))) as unknown as typeof fetch,
    });
    expect(() => client.setCanary("churn", "s3://m/4", 101)).toThrow(RangeError);
  });

  it("reads the service-account token and re-reads it after rotation", async () => {
    const directory = await mkdtemp(join(tmpdir(), "sa-"));
    try {
      const path = join(directory, "token");
      await writeFile(path, "first\n");
      let now = 0;
      const getToken = (await kubernetesTokenFromEnvironment({ tokenPath: path, now: () => now }))!;
      expect(await getToken()).toBe("first");
      await writeFile(path, "second");
      expect(await getToken()).toBe("first");
      now = 61_000;
      expect(await getToken()).toBe("second");
      expect(await kubernetesTokenFromEnvironment({ tokenPath: join(directory, "missing") })).toBeUndefined();
      expect(await (await kubernetesTokenFromEnvironment({ token: "configured", tokenPath: path }))!()).toBe(
        "configured",
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
