import type { Job } from "bullmq";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import {
  buildReferenceBins,
  buildReferenceCategories,
  categoricalHistogram,
  histogram,
  type FeatureDefinition,
} from "@/lib/domain/drift/bins";
import { detectDrift, driftInputFromDefinition } from "@/lib/domain/drift/detect";
import { monitoringHandlers } from "@/workers/handlers/monitoring";
import type { WorkerDeps } from "@/workers/registry";
import { readServiceDrift } from "@/lib/dal/drift";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { createRandom } from "@/lib/testing/random";
import { latestDatasetDriftShare, type StoredFeatureResult } from "./drift-results";

describe("monitoring.compute-drift against a seeded monitor", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  const now = new Date();
  const windowMs = 5 * 60_000;
  const latest = Math.floor(now.getTime() / windowMs) * windowMs;
  const stableStart = new Date(latest - 2 * windowMs);
  const driftedStart = new Date(latest - windowMs);
  let definitions: FeatureDefinition[];
  let monitorId: string;
  const windowCounts = new Map<number, Map<string, number[]>>();

  const deps = () => ({ db, log: pino({ level: "silent" }) }) as unknown as WorkerDeps;
  const runHandler = () =>
    monitoringHandlers["monitoring.compute-drift"](
      { monitorId },
      { deps: deps(), job: {} as Job, log: pino({ level: "silent" }) },
    );

  beforeAll(async () => {
    database = await createTestDatabase("drift_test");
    db = createPrismaClient(database.url);

    const random = createRandom(7);
    const referenceA = Array.from({ length: 5000 }, () => random.normal());
    const referenceB = Array.from({ length: 5000 }, () => 10 + 2 * random.normal());
    const plans = ["monthly", "yearly", "none"];
    const referenceC = Array.from(
      { length: 5000 },
      () => plans[random.uniform() < 0.6 ? 0 : random.uniform() < 0.5 ? 1 : 2],
    );
    const a = buildReferenceBins(referenceA);
    const b = buildReferenceBins(referenceB);
    const c = buildReferenceCategories(referenceC);
    definitions = [
      { name: "a", kind: "numeric", edges: a.edges, reference: a.counts, referenceStd: a.std },
      { name: "b", kind: "numeric", edges: b.edges, reference: b.counts, referenceStd: b.std },
      { name: "c", kind: "categorical", categories: c.categories, reference: c.counts },
    ];
    const monitor = await db.driftMonitor.create({
      data: {
        namespace: "models",
        serviceName: "scoring",
        modelName: "scoring",
        modelVersion: "3",
        features: definitions as object[],
      },
      select: { id: true },
    });
    monitorId = monitor.id;

    // Stable: drawn like the reference. Drifted: a shifted by 1.5 std, c mostly "none"; b stays put.
    // Over 1,000 rows a window is judged with the reference-sized methods (windowDriftMethod).
    const draw = (shift: number, noneShare: number) => {
      const rows = 1200;
      return new Map([
        [
          "a",
          histogram(
            Array.from({ length: rows }, () => random.normal() + shift),
            a.edges,
          ),
        ],
        [
          "b",
          histogram(
            Array.from({ length: rows }, () => 10 + 2 * random.normal()),
            b.edges,
          ),
        ],
        [
          "c",
          categoricalHistogram(
            Array.from({ length: rows }, () =>
              random.uniform() < noneShare ? "none" : plans[random.uniform() < 0.7 ? 0 : 1],
            ),
            c.categories,
          ),
        ],
      ]);
    };
    windowCounts.set(stableStart.getTime(), draw(0, 0.2));
    windowCounts.set(driftedStart.getTime(), draw(1.5, 0.8));
    for (const [start, counts] of windowCounts) {
      await db.featureWindow.createMany({
        data: [...counts].map(([feature, vector]) => ({
          monitorId,
          windowStart: new Date(start),
          feature,
          counts: vector,
          total: 1200,
        })),
      });
    }
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("stores each window's drift as detectDrift computes it from the stored histograms", async () => {
    await runHandler();
    const results = await db.driftWindowResult.findMany({
      where: { monitorId },
      orderBy: { windowStart: "asc" },
    });
    expect(results.map((row) => row.windowStart.getTime())).toEqual([
      stableStart.getTime(),
      driftedStart.getTime(),
    ]);
    const [stable, drifted] = results;
    expect(stable).toMatchObject({
      rows: 1200,
      driftedCount: 0,
      evaluatedCount: 3,
      share: 0,
      isDrifted: false,
    });
    expect(drifted).toMatchObject({ rows: 1200, driftedCount: 2, evaluatedCount: 3, isDrifted: true });
    expect(drifted.share).toBeCloseTo(2 / 3, 12);

    const expected = detectDrift({
      features: definitions.map((definition) =>
        driftInputFromDefinition(definition, windowCounts.get(driftedStart.getTime())!.get(definition.name)!),
      ),
    });
    const stored = drifted.features as unknown as StoredFeatureResult[];
    expect(stored.map((feature) => [feature.name, feature.method, feature.isDrifted])).toEqual([
      ["a", "wasserstein", true],
      ["b", "wasserstein", false],
      ["c", "jensenshannon", true],
    ]);
    stored.forEach((feature, index) => expect(feature.score).toBeCloseTo(expected.features[index].score, 12));
  });

  it("recomputes only windows that gained rows since, and reports the newest share for alerts", async () => {
    const before = await db.driftWindowResult.findUniqueOrThrow({
      where: { monitorId_windowStart: { monitorId, windowStart: stableStart } },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await db.featureWindow.update({
      where: { monitorId_windowStart_feature: { monitorId, windowStart: driftedStart, feature: "a" } },
      data: {
        total: 1201,
        counts: windowCounts
          .get(driftedStart.getTime())!
          .get("a")!
          .map((count, slot) => (slot === 0 ? count + 1 : count)),
      },
    });
    await runHandler();
    const after = await db.driftWindowResult.findMany({
      where: { monitorId },
      orderBy: { windowStart: "asc" },
    });
    expect(after[0].computedAt).toEqual(before.computedAt);
    expect(after[1].rows).toBe(1201);
    expect(await latestDatasetDriftShare(db, "models", "scoring")).toEqual({
      share: after[1].share,
      windowStart: driftedStart.toISOString(),
      isDrifted: true,
      monitorId,
    });
    expect(await latestDatasetDriftShare(db, "models", "elsewhere")).toBeNull();
  });

  it("serves chart-ready series and the overlay of the most drifted feature", async () => {
    const view = await readServiceDrift(db, { namespace: "models", service: "scoring", range: "1h" }, now);
    expect(view.shareSeries).toEqual([
      {
        id: "3",
        label: "v3",
        points: [
          { x: stableStart.getTime(), y: 0 },
          { x: driftedStart.getTime(), y: expect.closeTo(2 / 3, 12) },
        ],
      },
    ]);
    expect(view.selected).toMatchObject({
      windowStart: driftedStart.toISOString(),
      driftedCount: 2,
      overlay: { feature: "a", kind: "numeric", currentCount: 1201 },
    });
    const overlayTotal = view.selected!.overlay!.bins.reduce((sum, bin) => sum + bin.current, 0);
    expect(overlayTotal).toBeCloseTo(1, 12);
    const distance = view.scoreCharts.find((chart) => chart.scoreKind === "distance")!;
    expect(distance.threshold).toBe(0.1);
    expect(distance.series.map((line) => line.id).sort()).toEqual(["a", "b", "c"]);

    const picked = await readServiceDrift(
      db,
      {
        namespace: "models",
        service: "scoring",
        range: "1h",
        window: stableStart.toISOString(),
        feature: "c",
      },
      now,
    );
    expect(picked.selected).toMatchObject({
      windowStart: stableStart.toISOString(),
      isDrifted: false,
      overlay: { feature: "c", kind: "categorical" },
    });
  });

  it("during a 90/10 canary shows both revisions, and the 90 % one's windows, even when the canary's monitor is newer", async () => {
    const canary = await db.driftMonitor.create({
      data: {
        namespace: "models",
        serviceName: "scoring",
        modelName: "scoring",
        modelVersion: "4",
        features: definitions as object[],
      },
      select: { id: true },
    });
    const serving = [
      { revisionName: "scoring-predictor-00001", percent: 90, endpoint: "default" as const, version: "3" },
      { revisionName: "scoring-predictor-00002", percent: 10, endpoint: "canary" as const, version: "4" },
    ];
    const view = await readServiceDrift(
      db,
      { namespace: "models", service: "scoring", range: "1h" },
      now,
      serving,
    );
    expect(view.monitor).toMatchObject({ modelVersion: "3" });
    expect(view.selected).toMatchObject({ windowStart: driftedStart.toISOString(), rows: 1201 });
    expect(view.revisions).toEqual([
      {
        revisionName: "scoring-predictor-00001",
        percent: 90,
        endpoint: "default",
        modelVersion: "3",
        monitorId,
        latest: {
          windowStart: driftedStart.toISOString(),
          rows: 1201,
          share: expect.any(Number),
          isDrifted: true,
        },
        windowCount: 2,
        driftedWindowCount: 1,
      },
      {
        revisionName: "scoring-predictor-00002",
        percent: 10,
        endpoint: "canary",
        modelVersion: "4",
        monitorId: canary.id,
        latest: null,
        windowCount: 0,
        driftedWindowCount: 0,
      },
    ]);
    expect(view.shareSeries.map((line) => [line.label, line.points.length])).toEqual([
      ["v3 · 90 % of traffic", 2],
      ["v4 · 10 % of traffic", 0],
    ]);

    const picked = await readServiceDrift(
      db,
      { namespace: "models", service: "scoring", range: "1h", version: "4" },
      now,
      serving,
    );
    expect(picked.monitor).toMatchObject({ modelVersion: "4" });
    expect(picked.selected).toBeNull();
    // Without KServe's answer the newest monitor is shown alone, as before.
    const blind = await readServiceDrift(db, { namespace: "models", service: "scoring", range: "1h" }, now);
    expect(blind.monitor).toMatchObject({ modelVersion: "4" });
    expect(blind.revisions).toEqual([]);
  });
});
