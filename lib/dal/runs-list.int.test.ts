import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import { newRunRecord } from "@/lib/domain/training/launch";
import { launchRunInput } from "@/lib/validation/runs";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { churnDraft } from "@/lib/testing/worker-stack";
import { createRunsLister, readRunsPage } from "./runs";
import { listRunsQuery } from "@/lib/validation/runs";

let database: TestDatabase;
let db: PrismaClient;
const people: Array<{ id: string; name: string }> = [];

beforeAll(async () => {
  database = await createTestDatabase("runs_list_test");
  db = createPrismaClient(database.url);
  for (const name of ["Dana Nguyen", "Sam Patel"]) {
    people.push(
      await db.user.create({
        data: { entraObjectId: randomUUID(), name, roles: ["DataScientist"] },
        select: { id: true, name: true },
      }),
    );
  }
  const input = launchRunInput.parse(churnDraft());
  // Seven runs, two sharing a creation time so the page boundary falls between equal timestamps.
  const times = [1, 2, 3, 3, 4, 5, 6].map((minute) => new Date(Date.UTC(2026, 11, 1, 9, minute, 0, 123)));
  for (const [i, createdAt] of times.entries()) {
    const data = newRunRecord(randomUUID(), { ...input, runName: `run-${i}` }, people[i % 2]);
    await db.trainingRun.create({
      data: {
        ...data,
        createdAt,
        status: i === 6 ? "RUNNING" : "SUCCEEDED",
        startedAt: createdAt,
        cancelRequestedAt: i === 5 ? createdAt : null,
      },
    });
  }
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe("runs list (one SQL statement)", () => {
  it("pages newest first through equal timestamps without losing or repeating a run, with the launcher's name", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await readRunsPage(db, listRunsQuery.parse({ limit: "3", after }), people[0].id);
      seen.push(...page.runs.map((r) => r.runName));
      if (!page.nextAfter) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual(["run-6", "run-5", "run-4", ...[await namesAtMinute3()].flat(), "run-1", "run-0"]);

    const [newest] = (await readRunsPage(db, listRunsQuery.parse({ limit: "1" }), people[0].id)).runs;
    const row = await db.trainingRun.findFirstOrThrow({
      where: { runName: "run-6" },
      select: {
        id: true,
        kind: true,
        experimentName: true,
        datasetFullName: true,
        modelFamily: true,
        epochsTotal: true,
      },
    });
    expect(newest).toEqual({
      ...row,
      runName: "run-6",
      status: "RUNNING",
      epochsDone: 0,
      launchedByName: "Dana Nguyen",
      createdAt: "2026-12-01T09:06:00.123Z",
      startedAt: "2026-12-01T09:06:00.123Z",
      finishedAt: null,
      isCancelRequested: false,
    });
  });

  it("filters by status, experiment and launcher, and refuses a cursor it did not make", async () => {
    const running = await readRunsPage(db, listRunsQuery.parse({ status: "RUNNING" }), people[0].id);
    expect(running.runs.map((r) => r.runName)).toEqual(["run-6"]);
    const mine = await readRunsPage(db, listRunsQuery.parse({ mine: "true" }), people[1].id);
    expect(mine.runs.map((r) => [r.runName, r.launchedByName])).toEqual([
      ["run-5", "Sam Patel"],
      ["run-3", "Sam Patel"],
      ["run-1", "Sam Patel"],
    ]);
    expect(mine.runs[0].isCancelRequested).toBe(true);
    expect(
      (await readRunsPage(db, listRunsQuery.parse({ experimentName: "/Shared/none" }), people[0].id)).runs,
    ).toEqual([]);
    await expect(
      readRunsPage(db, listRunsQuery.parse({ after: "yesterday|x" }), people[0].id),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("runs list shared by pollers", () => {
  it("answers identical queries within the TTL from one read, and each person's own list apart", async () => {
    // A clock of the test's own: a loaded machine can take longer than any real TTL between reads.
    let clock = Date.now();
    const list = createRunsLister(
      () => db,
      300,
      () => clock,
    );
    const newest = async (userId: string, mine?: string) =>
      (await list(listRunsQuery.parse({ limit: "1", mine }), userId)).runs[0]?.runName;
    expect(await newest(people[0].id)).toBe("run-6");
    const input = launchRunInput.parse(churnDraft());
    await db.trainingRun.create({
      data: {
        ...newRunRecord(randomUUID(), { ...input, runName: "run-7" }, people[1]),
        createdAt: new Date(Date.UTC(2026, 11, 1, 9, 7)),
      },
    });
    expect(await newest(people[0].id)).toBe("run-6");
    expect(await newest(people[0].id, "true")).toBe("run-6");
    expect(await newest(people[1].id, "true")).toBe("run-7");
    clock += 350;
    expect(await newest(people[0].id)).toBe("run-7");
    await db.trainingRun.deleteMany({ where: { runName: "run-7" } });
  });
});

/** The two runs created in the same millisecond, in the list's tie order (id descending). */
async function namesAtMinute3() {
  const tied = await db.trainingRun.findMany({
    where: { runName: { in: ["run-2", "run-3"] } },
    orderBy: { id: "desc" },
    select: { runName: true },
  });
  return tied.map((r) => r.runName);
}
