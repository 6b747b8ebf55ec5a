import { describe, expect, it } from "vitest";
import {
  describeStatus,
  humanizeStatus,
  serviceReadinessFromCondition,
  statusValues,
  type StatusDomain,
} from "./status";

describe("describeStatus", () => {
  it("covers every value of the Prisma enums and KServe readiness", () => {
    expect(statusValues.run).toEqual([
      "QUEUED",
      "SUBMITTING",
      "PENDING",
      "RUNNING",
      "TERMINATING",
      "SUCCEEDED",
      "FAILED",
      "TIMED_OUT",
      "CANCELLING",
      "CANCELLED",
      "INTERNAL_ERROR",
    ]);
    expect(statusValues.promotion).toEqual([
      "EVALUATING",
      "OPEN",
      "STALE",
      "WITHDRAWN",
      "REJECTED",
      "APPROVED",
      "APPLYING",
      "APPLIED",
      "FAILED",
    ]);
    expect(statusValues.alert).toEqual(["PENDING", "FIRING", "ACKNOWLEDGED", "RESOLVED"]);
    expect(statusValues.deployment).toEqual(["PENDING", "IN_PROGRESS", "SUCCEEDED", "FAILED"]);
    expect(statusValues.service).toEqual(["Ready", "NotReady", "Unknown"]);
  });

  it("draws every failure as danger and every success as success, whatever the domain", () => {
    const failures: Array<[StatusDomain, string]> = [
      ["run", "FAILED"],
      ["run", "TIMED_OUT"],
      ["run", "INTERNAL_ERROR"],
      ["promotion", "REJECTED"],
      ["promotion", "FAILED"],
      ["alert", "FIRING"],
      ["deployment", "FAILED"],
      ["service", "NotReady"],
    ];
    for (const [domain, status] of failures)
      expect(describeStatus(domain, status).tone, `${domain} ${status}`).toBe("danger");
    const successes: Array<[StatusDomain, string]> = [
      ["run", "SUCCEEDED"],
      ["promotion", "APPROVED"],
      ["promotion", "APPLIED"],
      ["alert", "RESOLVED"],
      ["deployment", "SUCCEEDED"],
      ["service", "Ready"],
    ];
    for (const [domain, status] of successes)
      expect(describeStatus(domain, status).tone, `${domain} ${status}`).toBe("success");
  });

  it("marks states that still change on their own as active, and terminal ones as not", () => {
    expect(describeStatus("run", "RUNNING").isActive).toBe(true);
    expect(describeStatus("run", "CANCELLING").isActive).toBe(true);
    expect(describeStatus("promotion", "APPLYING").isActive).toBe(true);
    for (const status of ["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "INTERNAL_ERROR"]) {
      expect(describeStatus("run", status).isActive, status).toBe(false);
    }
  });

  it("gives human labels", () => {
    expect(describeStatus("run", "TIMED_OUT").label).toBe("Timed out");
    expect(describeStatus("service", "NotReady").label).toBe("Not ready");
  });

  it("renders an unknown value neutral in its own words instead of failing", () => {
    expect(describeStatus("run", "WAITING_FOR_RETRY")).toEqual({
      tone: "neutral",
      label: "Waiting for retry",
      isActive: false,
    });
  });

  it("does not mistake object prototype keys for statuses", () => {
    expect(describeStatus("run", "toString").tone).toBe("neutral");
    expect(describeStatus("run", "constructor").label).toBe("Constructor");
  });
});

describe("humanizeStatus", () => {
  it("handles SCREAMING_SNAKE, camelCase and kebab-case", () => {
    expect(humanizeStatus("IN_PROGRESS")).toBe("In progress");
    expect(humanizeStatus("NotReady")).toBe("Not ready");
    expect(humanizeStatus("scale-to-zero")).toBe("Scale to zero");
  });
});

describe("serviceReadinessFromCondition", () => {
  it("maps KServe's Ready condition status", () => {
    expect(serviceReadinessFromCondition("True")).toBe("Ready");
    expect(serviceReadinessFromCondition("False")).toBe("NotReady");
    expect(serviceReadinessFromCondition("Unknown")).toBe("Unknown");
    expect(serviceReadinessFromCondition(undefined)).toBe("Unknown");
  });
});
