import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { CloudApiError } from "../http";
import {
  createKServeClient,
  isAlreadyExists,
  isConflict,
  summariseService,
  type InferenceService,
  type KServeClient,
} from ".";

/**
 * The KServe client's contract suite. The shared half runs against the sandbox over real HTTP and,
 * when KSERVE_CONTRACT_URL and KSERVE_CONTRACT_TOKEN are set, against a real cluster with KServe in
 * serverless mode (KSERVE_CONTRACT_NAMESPACE, default "default"; it creates and deletes its own
 * InferenceServices, named with a random suffix, serving KSERVE_CONTRACT_STORAGE_URI).
 */

const suffix = () => randomBytes(3).toString("hex");
const realUrl = process.env.KSERVE_CONTRACT_URL;
const realToken = process.env.KSERVE_CONTRACT_TOKEN;
if (!realUrl || !realToken)
  console.info(
    "[kserve contract] KSERVE_CONTRACT_URL / KSERVE_CONTRACT_TOKEN are not set: the suite against a real cluster is skipped.",
  );

async function errorOf(promise: Promise<unknown>): Promise<CloudApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CloudApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

async function waitFor(
  read: () => Promise<InferenceService>,
  done: (service: InferenceService) => boolean,
  timeoutMs: number,
): Promise<InferenceService> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const service = await read();
    if (done(service)) return service;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting; last status: ${JSON.stringify(service.status)}`);
    await new Promise((resolve) => setTimeout(resolve, timeoutMs > 60_000 ? 3000 : 100));
  }
}

const trafficOf = (service: InferenceService) =>
  summariseService(service)
    .traffic.map((t) => `${t.revisionName.replace(/^.*-predictor-(default-)?/, "")}:${t.percent}`)
    .sort();

interface Target {
  client: () => KServeClient;
  namespace: string;
  storageUri: (version: number) => string;
  timeoutMs: number;
}

function contractSuite(target: Target) {
  let client: KServeClient;
  const name = `contract-${suffix()}`;
  const labels = { "switchboard.dev/contract": name };
  const isSettled = (s: InferenceService) =>
    summariseService(s).isReconciled &&
    (s.status?.modelStatus?.transitionStatus === "UpToDate" ||
      s.status?.modelStatus?.transitionStatus === "BlockedByFailedLoad");

  beforeAll(async () => {
    client = target.client();
    await client.create(
      {
        metadata: { name, labels },
        spec: {
          predictor: { model: { modelFormat: { name: "sklearn" }, storageUri: target.storageUri(1) } },
        },
      },
      target.namespace,
    );
  });
  afterAll(async () => {
    await client?.delete(name, target.namespace).catch(() => {});
  });

  it("rolls out the first revision, then reports it ready with all traffic", async () => {
    const ready = await waitFor(
      () => client.get(name, target.namespace),
      (s) => summariseService(s).isReady,
      target.timeoutMs,
    );
    const summary = summariseService(ready);
    expect(summary).toMatchObject({
      isReady: true,
      isReconciled: true,
      transitionStatus: "UpToDate",
      model: { format: "sklearn", storageUri: target.storageUri(1) },
      isCanaryInProgress: false,
    });
    expect(summary.revisions.latestReady).toMatch(new RegExp(`^${name}-predictor-(default-)?00001$`));
    expect(trafficOf(ready)).toEqual(["00001:100"]);
    expect(ready.status?.url).toBeTruthy();
    expect(ready.metadata).toMatchObject({
      generation: 1,
      uid: expect.any(String),
      resourceVersion: expect.any(String),
      creationTimestamp: expect.any(String),
    });
  });

  it("sets a canary, rolls it back, then promotes it", async () => {
    const canary = await client.setCanary(name, target.storageUri(2), 20, { namespace: target.namespace });
    expect(canary.spec.predictor.canaryTrafficPercent).toBe(20);
    expect(canary.metadata.generation).toBe(2);
    const split = await waitFor(
      () => client.get(name, target.namespace),
      (s) => isSettled(s) && summariseService(s).revisions.latestReady?.endsWith("00002") === true,
      target.timeoutMs,
    );
    expect(trafficOf(split)).toEqual(["00001:80", "00002:20"]);
    expect(summariseService(split)).toMatchObject({
      isReady: true,
      isCanaryInProgress: true,
      canaryTrafficPercent: 20,
    });
    const prev = split.status?.components?.predictor?.traffic?.find((t) => t.tag === "prev");
    expect(prev).toMatchObject({ latestRevision: false, percent: 80 });

    await client.rollback(name, { namespace: target.namespace });
    const rolledBack = await waitFor(
      () => client.get(name, target.namespace),
      (s) => isSettled(s) && trafficOf(s).includes("00001:100"),
      target.timeoutMs,
    );
    expect(rolledBack.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(summariseService(rolledBack).isCanaryInProgress).toBe(false);

    await client.promoteCanary(name, { namespace: target.namespace });
    const promoted = await waitFor(
      () => client.get(name, target.namespace),
      (s) => isSettled(s) && trafficOf(s).join() === "00002:100",
      target.timeoutMs,
    );
    expect(promoted.spec.predictor.canaryTrafficPercent).toBeUndefined();
    expect(summariseService(promoted).revisions).toMatchObject({
      latestRolledout: expect.stringMatching(/00002$/),
      previousRolledout: expect.stringMatching(/00001$/),
    });
  });

  it("answers a stale resourceVersion with 409 Conflict, and a precondition the same way", async () => {
    const current = await client.get(name, target.namespace);
    await client.patch(
      name,
      { metadata: { labels: { ...labels, touched: "yes" } } },
      { namespace: target.namespace },
    );
    const conflict = await errorOf(client.replace(current));
    expect(isConflict(conflict)).toBe(true);
    expect(conflict.message).toMatch(/the object has been modified/);
    const precondition = await errorOf(
      client.setCanary(name, target.storageUri(3), 10, {
        namespace: target.namespace,
        resourceVersion: current.metadata.resourceVersion,
      }),
    );
    expect(isConflict(precondition)).toBe(true);
    // A label change does not change the spec: no new generation.
    expect((await client.get(name, target.namespace)).metadata.generation).toBe(current.metadata.generation);
  });

  it("answers a missing service with a NotFound Status and a duplicate with AlreadyExists", async () => {
    const missing = await errorOf(client.get(`missing-${suffix()}`, target.namespace));
    expect(missing).toMatchObject({ status: 404, errorCode: "NotFound", isNotFound: true });
    expect(missing.message).toMatch(/inferenceservices.serving.kserve.io "missing-\w+" not found/);
    const duplicate = await errorOf(
      client.create(
        {
          metadata: { name },
          spec: {
            predictor: { model: { modelFormat: { name: "sklearn" }, storageUri: target.storageUri(1) } },
          },
        },
        target.namespace,
      ),
    );
    expect(isAlreadyExists(duplicate)).toBe(true);
  });

  it("pages through a label-selected list with limit and continue", async () => {
    const extra = [`${name}-a`, `${name}-b`];
    for (const other of extra)
      await client.create(
        {
          metadata: { name: other, labels },
          spec: {
            predictor: { model: { modelFormat: { name: "sklearn" }, storageUri: target.storageUri(1) } },
          },
        },
        target.namespace,
      );
    try {
      const first = await client.listPage({
        namespace: target.namespace,
        labelSelector: `switchboard.dev/contract=${name}`,
        limit: 2,
      });
      expect(first.items).toHaveLength(2);
      expect(first.continueToken).toBeTruthy();
      const second = await client.listPage({
        namespace: target.namespace,
        labelSelector: `switchboard.dev/contract=${name}`,
        limit: 2,
        continueToken: first.continueToken,
      });
      expect(second.items.map((s) => s.metadata.name)).toHaveLength(1);
      expect(second.continueToken).toBeUndefined();
      const all = await client.list({
        namespace: target.namespace,
        labelSelector: `switchboard.dev/contract=${name}`,
        limit: 1,
      });
      expect(all.map((s) => s.metadata.name).sort()).toEqual([name, ...extra].sort());
      expect(
        await client.list({
          namespace: target.namespace,
          labelSelector: `switchboard.dev/contract=${name},switchboard.dev/contract!=${name}`,
        }),
      ).toEqual([]);
    } finally {
      for (const other of extra) await client.delete(other, target.namespace).catch(() => {});
    }
  });
}

describe("KServe client against the sandbox", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 50 });
  });
  afterAll(() => sandbox?.close());
  const client = (options: { sleep?: (ms: number) => Promise<void> } = {}) =>
    createKServeClient({
      apiUrl: sandbox.url,
      getToken: async () => sandbox.token,
      namespace: "models",
      ...options,
    });

  describe("contract", () => {
    contractSuite({
      client: () => client(),
      namespace: `contract-${suffix()}`,
      storageUri: (v) => `https://models.example/iris/${v}`,
      timeoutMs: 10_000,
    });
  });

  it("seeds an estate with one service mid-canary and one blocked by a model that fails to load", async () => {
    const summaries = (await client().list()).map(summariseService);
    expect(summaries.map((s) => s.name)).toEqual([
      "capacity-forecast",
      "churn-classifier",
      "network-anomaly",
      "sim-swap-fraud",
      "support-assistant-llm",
      "ticket-summariser-llm",
    ]);
    const canary = summaries.find((s) => s.name === "network-anomaly")!;
    expect(canary).toMatchObject({ isReady: true, isCanaryInProgress: true, canaryTrafficPercent: 10 });
    expect(canary.traffic.map((t) => [t.revisionName, t.percent, t.tags])).toEqual([
      ["network-anomaly-predictor-00002", 90, ["prev"]],
      ["network-anomaly-predictor-00003", 10, ["latest"]],
    ]);
    const blocked = summaries.find((s) => s.name === "sim-swap-fraud")!;
    expect(blocked).toMatchObject({
      isReady: false,
      transitionStatus: "BlockedByFailedLoad",
      failing: { type: "PredictorReady", reason: "RevisionFailed" },
    });
    expect(blocked.traffic).toEqual([
      { revisionName: "sim-swap-fraud-predictor-00001", percent: 100, tags: [], isLatest: true },
    ]);
  });

  it("fails a new service whose model cannot load, with the reason on the conditions", async () => {
    const kserve = client();
    const name = `broken-${suffix()}`;
    await kserve.create({
      metadata: { name },
      spec: {
        predictor: { model: { modelFormat: { name: "sklearn" }, storageUri: "s3://models/broken/1" } },
      },
    });
    const failed = await waitFor(
      () => kserve.get(name),
      (s) => s.status?.modelStatus?.transitionStatus === "BlockedByFailedLoad",
      10_000,
    );
    expect(summariseService(failed)).toMatchObject({
      isReady: false,
      failing: { type: "PredictorReady", status: "False", reason: "RevisionFailed" },
      traffic: [],
    });
    expect(failed.status?.modelStatus?.lastFailureInfo?.message).toMatch(/s3:\/\/models\/broken\/1/);
  });

  it("applies JSON patches, refuses a failed test operation and unsupported patch types", async () => {
    const kserve = client();
    const patched = await kserve.patch(
      "churn-classifier",
      [{ op: "add", path: "/metadata/labels/owner", value: "qa" }],
      { type: "json" },
    );
    expect(patched.metadata.labels?.owner).toBe("qa");
    const failedTest = await errorOf(
      kserve.patch("churn-classifier", [{ op: "test", path: "/spec/predictor/minReplicas", value: 99 }], {
        type: "json",
      }),
    );
    expect(failedTest).toMatchObject({ status: 422, errorCode: "Invalid" });
    const strategic = await fetch(
      `${sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-classifier`,
      {
        method: "PATCH",
        headers: {
          authorization: `Bearer ${sandbox.token}`,
          "content-type": "application/strategic-merge-patch+json",
        },
        body: "{}",
      },
    );
    expect(strategic.status).toBe(415);
    expect(await strategic.json()).toMatchObject({
      kind: "Status",
      reason: "UnsupportedMediaType",
      code: 415,
    });
  });

  it("validates specs like the webhook, with a 422 Status naming the field", async () => {
    const invalid = await errorOf(
      client().create({ metadata: { name: "Bad_Name" }, spec: { predictor: {} } }),
    );
    expect(invalid).toMatchObject({ status: 422, errorCode: "Invalid" });
    const badPercent = await errorOf(
      client().patch("churn-classifier", { spec: { predictor: { canaryTrafficPercent: 150 } } }),
    );
    expect(badPercent.message).toMatch(/spec.predictor.canaryTrafficPercent/);
  });

  it("retries a throttled request after Retry-After", async () => {
    const waits: number[] = [];
    const kserve = client({ sleep: async (ms) => void waits.push(ms) });
    await sandbox.injectFaults([
      {
        path: "^/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-classifier$",
        method: "GET",
        status: 429,
        retryAfterSeconds: 2,
        times: 2,
      },
    ]);
    try {
      expect((await kserve.get("churn-classifier")).metadata.name).toBe("churn-classifier");
      expect(waits).toEqual([2000, 2000]);
    } finally {
      await sandbox.clearFaults();
    }
  });
});

describe.skipIf(!realUrl || !realToken)("KServe client against a real cluster", () => {
  contractSuite({
    client: () => createKServeClient({ apiUrl: realUrl!, getToken: async () => realToken! }),
    namespace: process.env.KSERVE_CONTRACT_NAMESPACE ?? "default",
    storageUri: (v) =>
      process.env.KSERVE_CONTRACT_STORAGE_URI ??
      `gs://kfserving-examples/models/sklearn/1.0/model${v === 1 ? "" : "-2"}`,
    timeoutMs: 300_000,
  });
});
