import { describe, expect, it } from "vitest";
import {
  adaptivePollDelayMs,
  epochsDoneOf,
  isTerminalStatus,
  nextPollDelayMs,
  statusFromDatabricks,
} from "./run-status";

describe("statusFromDatabricks", () => {
  it("follows the life cycle and the result", () => {
    expect(statusFromDatabricks("QUEUED")).toBe("PENDING");
    expect(statusFromDatabricks("PENDING")).toBe("PENDING");
    expect(statusFromDatabricks("RUNNING")).toBe("RUNNING");
    expect(statusFromDatabricks("TERMINATING")).toBe("TERMINATING");
    expect(statusFromDatabricks("TERMINATED", "SUCCESS")).toBe("SUCCEEDED");
    expect(statusFromDatabricks("TERMINATED", "FAILED")).toBe("FAILED");
    expect(statusFromDatabricks("TERMINATED", "TIMEDOUT")).toBe("TIMED_OUT");
    expect(statusFromDatabricks("TERMINATED", "CANCELED")).toBe("CANCELLED");
    expect(statusFromDatabricks("INTERNAL_ERROR", "FAILED")).toBe("INTERNAL_ERROR");
    expect(statusFromDatabricks("SKIPPED")).toBe("CANCELLED");
  });

  it("shows a requested cancel until Databricks confirms the end", () => {
    expect(statusFromDatabricks("RUNNING", null, true)).toBe("CANCELLING");
    expect(statusFromDatabricks("TERMINATED", "CANCELED", true)).toBe("CANCELLED");
    expect(statusFromDatabricks("TERMINATED", "SUCCESS", true)).toBe("SUCCEEDED");
  });

  it("keeps following a state it does not know", () => {
    expect(statusFromDatabricks("SOMETHING_NEW")).toBe("RUNNING");
    expect(isTerminalStatus(statusFromDatabricks("SOMETHING_NEW"))).toBe(false);
  });
});

describe("nextPollDelayMs", () => {
  it("backs off from the minimum to the cap", () => {
    expect(nextPollDelayMs(0)).toBe(2_000);
    expect(nextPollDelayMs(1)).toBe(4_000);
    expect(nextPollDelayMs(3)).toBe(16_000);
    expect(nextPollDelayMs(50)).toBe(30_000);
  });
});

describe("adaptivePollDelayMs", () => {
  it("looks again soon while the run moves, whatever the checks so far", () => {
    expect(adaptivePollDelayMs({ hasChanged: true, sinceLastCheckMs: 30_000 })).toBe(2_000);
  });
  it("doubles the gap while nothing moves, between the minimum and the cap", () => {
    expect(adaptivePollDelayMs({ hasChanged: false, sinceLastCheckMs: 2_000 })).toBe(4_000);
    expect(adaptivePollDelayMs({ hasChanged: false, sinceLastCheckMs: 8_100 })).toBe(16_200);
    expect(adaptivePollDelayMs({ hasChanged: false, sinceLastCheckMs: 25_000 })).toBe(30_000);
    expect(adaptivePollDelayMs({ hasChanged: false, sinceLastCheckMs: 0 })).toBe(2_000);
    expect(
      adaptivePollDelayMs({ hasChanged: false, sinceLastCheckMs: 400 }, { minMs: 100, maxMs: 1_000 }),
    ).toBe(800);
  });
});

describe("epochsDoneOf", () => {
  const metric = (step: number) => ({ step });
  it("counts one step per epoch for tabular training", () => {
    expect(epochsDoneOf({ metrics: { loss: metric(7), auc: metric(7) }, params: { epochs: "20" } }, 20)).toBe(
      7,
    );
  });
  it("converts optimiser steps to epochs for fine-tuning", () => {
    expect(epochsDoneOf({ metrics: { loss: metric(25) }, params: { epochs: "3", max_steps: "30" } }, 3)).toBe(
      2,
    );
  });
  it("knows nothing before the first metric, and never exceeds the total", () => {
    expect(epochsDoneOf({ metrics: {}, params: {} }, 5)).toBeUndefined();
    expect(epochsDoneOf({ metrics: { loss: metric(9) }, params: {} }, 5)).toBe(5);
  });
});
