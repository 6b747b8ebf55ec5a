import { describe, expect, it } from "vitest";
import {
  canAcknowledge,
  describeBreach,
  describeRule,
  isBreaching,
  isSilencedAt,
  nextAlertTransition,
  notificationFor,
  type OpenAlert,
  type RuleSpec,
} from "./state-machine";

const latency: RuleSpec = { kind: "LATENCY_P95", threshold: 500, forMinutes: 5 };
const minute = 60_000;
const t0 = Date.UTC(2026, 10, 26, 3, 0);

/** Replays observations one evaluation at a time, applying each transition like the worker does. */
function replay(rule: RuleSpec, steps: Array<{ at: number; value: number | null; isSilenced?: boolean }>) {
  let open: OpenAlert | null = null;
  const history: string[] = [];
  for (const step of steps) {
    const transition = nextAlertTransition({
      rule,
      open,
      isBreaching: isBreaching(rule, { value: step.value }),
      isSilenced: step.isSilenced ?? false,
      now: step.at,
    });
    if (transition.type === "open") open = { state: transition.state, pendingSince: transition.pendingSince };
    if (transition.type === "fire" && open) open = { ...open, state: "FIRING" };
    if (transition.type === "resolve") open = null;
    history.push(transition.type === "open" ? `open:${transition.state}` : transition.type);
  }
  return { history, open };
}

describe("isBreaching", () => {
  it("compares by kind, with drift at or above its threshold", () => {
    expect(isBreaching(latency, { value: 501 })).toBe(true);
    expect(isBreaching(latency, { value: 500 })).toBe(false);
    expect(isBreaching({ kind: "ERROR_RATE", threshold: 0.05, forMinutes: 0 }, { value: 0.06 })).toBe(true);
    expect(isBreaching({ kind: "DRIFT_SHARE", threshold: 0.5, forMinutes: 0 }, { value: 0.5 })).toBe(true);
    expect(isBreaching({ kind: "DRIFT_SHARE", threshold: 0.5, forMinutes: 0 }, { value: 0.49 })).toBe(false);
  });

  it("treats missing data as a breach only for NO_DATA rules", () => {
    expect(isBreaching(latency, { value: null })).toBe(false);
    expect(isBreaching(latency, { value: Number.NaN })).toBe(false);
    const noData: RuleSpec = { kind: "NO_DATA", threshold: 10, forMinutes: 0 };
    expect(isBreaching(noData, { value: null })).toBe(true);
    expect(isBreaching(noData, { value: 0 })).toBe(true);
    expect(isBreaching(noData, { value: 42 })).toBe(false);
  });
});

describe("nextAlertTransition", () => {
  it("stays pending until the breach has lasted forMinutes, then fires", () => {
    const { history, open } = replay(latency, [
      { at: t0, value: 800 },
      { at: t0 + 2 * minute, value: 900 },
      { at: t0 + 4 * minute + 59_000, value: 900 },
      { at: t0 + 5 * minute, value: 900 },
      { at: t0 + 6 * minute, value: 900 },
    ]);
    expect(history).toEqual(["open:PENDING", "keep", "keep", "fire", "keep"]);
    expect(open?.state).toBe("FIRING");
  });

  it("fires at once when forMinutes is 0", () => {
    expect(replay({ ...latency, forMinutes: 0 }, [{ at: t0, value: 800 }]).history).toEqual(["open:FIRING"]);
  });

  it("resolves a pending alert that recovers before firing, and a firing one when it recovers", () => {
    expect(
      replay(latency, [
        { at: t0, value: 800 },
        { at: t0 + minute, value: 100 },
      ]).history,
    ).toEqual(["open:PENDING", "resolve"]);
    const { history, open } = replay({ ...latency, forMinutes: 1 }, [
      { at: t0, value: 800 },
      { at: t0 + minute, value: 800 },
      { at: t0 + 2 * minute, value: 120 },
    ]);
    expect(history).toEqual(["open:PENDING", "fire", "resolve"]);
    expect(open).toBeNull();
  });

  it("opens a new alert when the breach comes back after resolving, with a fresh pending time", () => {
    const rule = { ...latency, forMinutes: 1 };
    const { history, open } = replay(rule, [
      { at: t0, value: 800 },
      { at: t0 + minute, value: 800 },
      { at: t0 + 2 * minute, value: 100 },
      { at: t0 + 3 * minute, value: 800 },
    ]);
    expect(history).toEqual(["open:PENDING", "fire", "resolve", "open:PENDING"]);
    expect(open?.pendingSince).toBe(t0 + 3 * minute);
  });

  it("keeps an acknowledged alert acknowledged while the breach lasts and resolves it after", () => {
    const open: OpenAlert = { state: "ACKNOWLEDGED", pendingSince: t0 };
    expect(
      nextAlertTransition({
        rule: latency,
        open,
        isBreaching: true,
        isSilenced: false,
        now: t0 + 30 * minute,
      }),
    ).toEqual({ type: "keep" });
    expect(
      nextAlertTransition({
        rule: latency,
        open,
        isBreaching: false,
        isSilenced: false,
        now: t0 + 31 * minute,
      }),
    ).toEqual({ type: "resolve", resolvedAt: t0 + 31 * minute });
  });

  it("under a silence opens nothing and does not fire pending alerts, but still resolves", () => {
    const rule = { ...latency, forMinutes: 0 };
    expect(replay(rule, [{ at: t0, value: 800, isSilenced: true }]).history).toEqual(["none"]);
    const { history } = replay({ ...latency, forMinutes: 1 }, [
      { at: t0, value: 800 },
      { at: t0 + 2 * minute, value: 800, isSilenced: true },
      { at: t0 + 3 * minute, value: 800 },
      { at: t0 + 4 * minute, value: 100, isSilenced: true },
    ]);
    expect(history).toEqual(["open:PENDING", "keep", "fire", "resolve"]);
  });

  it("is repeatable: the same inputs give the same transition", () => {
    const input = {
      rule: latency,
      open: { state: "PENDING" as const, pendingSince: t0 },
      isBreaching: true,
      isSilenced: false,
      now: t0 + 5 * minute,
    };
    expect(nextAlertTransition(input)).toEqual(nextAlertTransition(input));
  });
});

describe("acknowledgement and silences", () => {
  it("acknowledges only firing alerts", () => {
    expect(canAcknowledge("FIRING")).toBe(true);
    for (const state of ["PENDING", "ACKNOWLEDGED", "RESOLVED"] as const)
      expect(canAcknowledge(state)).toBe(false);
  });

  it("silences within [startsAt, endsAt)", () => {
    const windows = [{ startsAt: t0, endsAt: t0 + minute }];
    expect(isSilencedAt(windows, t0 - 1)).toBe(false);
    expect(isSilencedAt(windows, t0)).toBe(true);
    expect(isSilencedAt(windows, t0 + minute)).toBe(false);
  });
});

it("describes a breach with its unit and revision", () => {
  expect(describeBreach(latency, 812.4, "svc-predictor-00002")).toBe(
    "p95 latency 812 ms > 500 ms on svc-predictor-00002",
  );
  expect(describeBreach({ kind: "ERROR_RATE", threshold: 0.05, forMinutes: 0 }, 0.071)).toBe(
    "error rate 7.1 % > 5.0 %",
  );
});

it("describes rules in words", () => {
  expect(describeRule(latency)).toBe("p95 latency > 500 ms for 5 min");
  expect(describeRule({ kind: "NO_DATA", threshold: 10, forMinutes: 0 })).toBe("no requests for 10 min");
});

describe("notificationFor", () => {
  const pending: OpenAlert = { state: "PENDING", pendingSince: t0 };
  const firing: OpenAlert = { state: "FIRING", pendingSince: t0 };
  const acknowledged: OpenAlert = { state: "ACKNOWLEDGED", pendingSince: t0 };

  it("announces firing, whether at once or after the pending time", () => {
    expect(
      notificationFor({ type: "open", state: "FIRING", pendingSince: t0, firedAt: t0 }, null, false),
    ).toBe("FIRING");
    expect(notificationFor({ type: "fire", firedAt: t0 + 5 * minute }, pending, false)).toBe("FIRING");
    expect(
      notificationFor({ type: "open", state: "PENDING", pendingSince: t0, firedAt: null }, null, false),
    ).toBeNull();
    expect(notificationFor({ type: "keep" }, firing, false)).toBeNull();
  });

  it("announces the resolution of an alert that fired, not of one that was only pending", () => {
    expect(notificationFor({ type: "resolve", resolvedAt: t0 }, firing, false)).toBe("RESOLVED");
    expect(notificationFor({ type: "resolve", resolvedAt: t0 }, acknowledged, false)).toBe("RESOLVED");
    expect(notificationFor({ type: "resolve", resolvedAt: t0 }, pending, false)).toBeNull();
  });

  it("says nothing while the service is silenced", () => {
    expect(notificationFor({ type: "resolve", resolvedAt: t0 }, firing, true)).toBeNull();
    expect(notificationFor({ type: "fire", firedAt: t0 }, pending, true)).toBeNull();
  });
});
