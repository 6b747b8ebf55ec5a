import { describe, expect, it } from "vitest";
import {
  assessDecision,
  assessOverride,
  describeLatestChange,
  detectStaleness,
  type DecisionContext,
} from "./decisions";

const open: DecisionContext = {
  status: "OPEN",
  requesterId: "dana",
  requiredApprovals: 2,
  approvals: [],
  staleReason: null,
  failedGates: [],
  isOverridden: false,
};

describe("assessDecision", () => {
  it("refuses the requester whatever roles they hold", () => {
    expect(assessDecision(open, "dana", "APPROVE")).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(assessDecision(open, "dana", "REJECT")).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("needs distinct approvers for two-approval requests; a reject ends it at once", () => {
    expect(assessDecision(open, "riley", "APPROVE")).toEqual({
      ok: true,
      nextStatus: "OPEN",
      approvalsAfter: 1,
    });
    const once = { ...open, approvals: [{ deciderId: "riley" }] };
    expect(assessDecision(once, "riley", "APPROVE")).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(assessDecision(once, "morgan", "APPROVE")).toEqual({
      ok: true,
      nextStatus: "APPROVED",
      approvalsAfter: 2,
    });
    expect(assessDecision(once, "morgan", "REJECT")).toEqual({
      ok: true,
      nextStatus: "REJECTED",
      approvalsAfter: 1,
    });
  });

  it("blocks stale and finished requests", () => {
    expect(
      assessDecision(
        { ...open, status: "STALE", staleReason: "version 9 was registered" },
        "riley",
        "APPROVE",
      ),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringContaining("version 9 was registered"),
    });
    expect(assessDecision({ ...open, status: "APPROVED" }, "riley", "REJECT")).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
  });
});

describe("failed gates", () => {
  const blocked = { ...open, failedGates: ["auc no worse than the incumbent"] };
  it("block approval until an override is confirmed, but never a rejection, and wait for evaluation", () => {
    expect(assessDecision(blocked, "riley", "APPROVE")).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringContaining("Blocked by a failed gate: auc no worse than the incumbent"),
    });
    expect(assessDecision(blocked, "riley", "REJECT")).toMatchObject({ ok: true, nextStatus: "REJECTED" });
    expect(assessDecision({ ...blocked, isOverridden: true }, "riley", "APPROVE")).toMatchObject({
      ok: true,
    });
    expect(assessDecision({ ...open, status: "EVALUATING" }, "riley", "APPROVE")).toMatchObject({
      ok: false,
      message: expect.stringContaining("still evaluating"),
    });
  });
  it("need two officers to override, neither the requester", () => {
    const context = {
      status: "OPEN" as const,
      requesterId: "dana",
      failedGateIds: ["metric:auc:regression"],
      override: null,
    };
    expect(assessOverride(context, "dana", "propose")).toMatchObject({ code: "FORBIDDEN" });
    expect(assessOverride(context, "riley", "propose")).toBeNull();
    expect(assessOverride(context, "riley", "confirm")).toMatchObject({
      code: "CONFLICT",
      message: "No override has been proposed yet.",
    });
    const proposed = { ...context, override: { proposedById: "riley", confirmedById: null } };
    expect(assessOverride(proposed, "riley", "confirm")).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("second officer"),
    });
    expect(assessOverride(proposed, "morgan", "propose")).toMatchObject({ code: "CONFLICT" });
    expect(assessOverride(proposed, "morgan", "confirm")).toBeNull();
    expect(assessOverride({ ...context, failedGateIds: [] }, "riley", "propose")).toMatchObject({
      message: "Every gate passes; there is nothing to override.",
    });
  });
});

describe("detectStaleness", () => {
  it("reports a newer version and a changed incumbent, and nothing when current", () => {
    expect(
      detectStaleness(
        { latestVersion: "4", incumbentVersion: "3" },
        { latestVersion: "4", incumbentVersion: "3" },
      ),
    ).toBeNull();
    expect(
      detectStaleness(
        { latestVersion: "4", incumbentVersion: "3" },
        { latestVersion: "10", incumbentVersion: "3" },
      ),
    ).toContain("version 10 was registered");
    expect(
      detectStaleness(
        { latestVersion: "4", incumbentVersion: null },
        { latestVersion: "4", incumbentVersion: "2" },
      ),
    ).toBe("the incumbent changed from none to v2");
  });
});

it("describes who acted and when", () => {
  expect(
    describeLatestChange(
      { actorName: "Riley Chen", action: "approved", at: new Date(10_000) },
      new Date(12_000),
    ),
  ).toBe("Riley Chen approved this request 2 seconds ago");
});
