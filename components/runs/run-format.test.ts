import { describe, expect, it } from "vitest";
import { progressText, readApiError, runDurationMs } from "./run-format";

describe("run formatting", () => {
  it("measures from start to end, or to now while running", () => {
    const start = "2026-01-01T10:00:00.000Z";
    expect(
      runDurationMs({ createdAt: start, startedAt: start, finishedAt: "2026-01-01T10:05:00.000Z" }),
    ).toBe(300_000);
    expect(
      runDurationMs({ createdAt: start, startedAt: null, finishedAt: null }, Date.parse(start) + 1_000),
    ).toBe(1_000);
  });

  it("shows epochs done out of the total", () => {
    expect(progressText({ epochsDone: 3, epochsTotal: 20 })).toBe("3 / 20 epochs");
    expect(progressText({ epochsDone: null, epochsTotal: null })).toBe("–");
  });

  it("maps a 400's zod issues to fields by path", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          message: "bad",
          details: [
            { path: ["params", "epochs"], message: "Too big" },
            { path: [], message: "whole form" },
          ],
        },
      }),
      { status: 400 },
    );
    expect(await readApiError(response)).toEqual({
      message: "bad",
      fieldErrors: { "params.epochs": "Too big" },
    });
  });
});
