/**
 * The rules of a decision on a promotion request, kept pure so they are tested without a
 * database: who may decide, what the decision does to the request's status, and what to tell
 * someone whose action no longer applies.
 */
export type RequestStatus =
  "EVALUATING" | "OPEN" | "STALE" | "WITHDRAWN" | "REJECTED" | "APPROVED" | "APPLYING" | "APPLIED" | "FAILED";

export interface DecisionContext {
  status: RequestStatus;
  requesterId: string;
  requiredApprovals: number;
  approvals: Array<{ deciderId: string }>;
  staleReason: string | null;
  /** Labels of the gates that failed; approval needs a confirmed override while any remain. */
  failedGates: string[];
  isOverridden: boolean;
}

export type DecisionOutcome =
  | { ok: true; nextStatus: RequestStatus; approvalsAfter: number }
  | { ok: false; code: "FORBIDDEN" | "CONFLICT"; message: string };

export function assessDecision(
  context: DecisionContext,
  deciderId: string,
  decision: "APPROVE" | "REJECT",
): DecisionOutcome {
  if (deciderId === context.requesterId)
    return {
      ok: false,
      code: "FORBIDDEN",
      message: "You requested this promotion, so someone else must decide it (four-eyes rule).",
    };
  if (context.status === "EVALUATING")
    return {
      ok: false,
      code: "CONFLICT",
      message: "The worker is still evaluating this request's gates; decide once they are in.",
    };
  if (context.status === "STALE")
    return {
      ok: false,
      code: "CONFLICT",
      message: `This request is stale and cannot be decided until the requester refreshes its evidence: ${context.staleReason ?? "the registry changed"}.`,
    };
  if (context.status !== "OPEN")
    return {
      ok: false,
      code: "CONFLICT",
      message: `This request is ${context.status.toLowerCase()}; there is nothing left to decide.`,
    };
  if (context.approvals.some((a) => a.deciderId === deciderId))
    return {
      ok: false,
      code: "CONFLICT",
      message: "You have already approved this request; another officer must give the next approval.",
    };
  if (decision === "REJECT")
    return { ok: true, nextStatus: "REJECTED", approvalsAfter: context.approvals.length };
  if (context.failedGates.length && !context.isOverridden) {
    return {
      ok: false,
      code: "CONFLICT",
      message: `Blocked by a failed gate: ${context.failedGates.join("; ")}. Approval needs an override with a reason, confirmed by a second officer.`,
    };
  }
  const approvalsAfter = context.approvals.length + 1;
  return {
    ok: true,
    nextStatus: approvalsAfter >= context.requiredApprovals ? "APPROVED" : "OPEN",
    approvalsAfter,
  };
}

/** "Riley Chen approved this request 2 seconds ago" — for the officer who lost a race. */
export function describeLatestChange(
  change: { actorName: string; action: string; at: Date },
  now: Date = new Date(),
): string {
  const seconds = Math.max(0, Math.round((now.getTime() - change.at.getTime()) / 1000));
  const ago =
    seconds < 60
      ? `${seconds} second${seconds === 1 ? "" : "s"} ago`
      : seconds < 3600
        ? `${Math.round(seconds / 60)} minutes ago`
        : `${Math.round(seconds / 3600)} hours ago`;
  return `${change.actorName} ${change.action} this request ${ago}`;
}

/**
 * A request's snapshot goes stale when the registry moved on: a newer version was registered or
 * the version holding the target stage/alias changed. Returns why, or null when still current.
 */
export function detectStaleness(
  snapshot: { latestVersion: string; incumbentVersion: string | null },
  current: { latestVersion: string; incumbentVersion: string | null },
): string | null {
  const reasons: string[] = [];
  if (Number(current.latestVersion) > Number(snapshot.latestVersion))
    reasons.push(
      `version ${current.latestVersion} was registered after the evidence was captured (newest then: ${snapshot.latestVersion})`,
    );
  if (current.incumbentVersion !== snapshot.incumbentVersion) {
    reasons.push(
      `the incumbent changed from ${snapshot.incumbentVersion ? `v${snapshot.incumbentVersion}` : "none"} to ${current.incumbentVersion ? `v${current.incumbentVersion}` : "none"}`,
    );
  }
  return reasons.length ? reasons.join("; ") : null;
}

export interface OverrideContext {
  status: RequestStatus;
  requesterId: string;
  failedGateIds: string[];
  override: { proposedById: string; confirmedById: string | null } | null;
}

/**
 * Overriding failed gates takes two officers, neither of them the requester: one proposes it with
 * a reason, another confirms it. Returns why not, or null when the officer may take the step.
 */
export function assessOverride(
  context: OverrideContext,
  officerId: string,
  step: "propose" | "confirm",
): { code: "FORBIDDEN" | "CONFLICT"; message: string } | null {
  if (officerId === context.requesterId)
    return {
      code: "FORBIDDEN",
      message: "You requested this promotion, so you cannot override its gates (four-eyes rule).",
    };
  if (context.status !== "OPEN")
    return {
      code: "CONFLICT",
      message: `This request is ${context.status.toLowerCase()}; its gates cannot be overridden now.`,
    };
  if (!context.failedGateIds.length)
    return { code: "CONFLICT", message: "Every gate passes; there is nothing to override." };
  const { override } = context;
  if (step === "propose")
    return override
      ? {
          code: "CONFLICT",
          message: override.confirmedById
            ? "The gates are already overridden."
            : "An override is already proposed; another officer can confirm it.",
        }
      : null;
  if (!override) return { code: "CONFLICT", message: "No override has been proposed yet." };
  if (override.confirmedById) return { code: "CONFLICT", message: "The override is already confirmed." };
  if (override.proposedById === officerId)
    return { code: "FORBIDDEN", message: "You proposed this override; a second officer must confirm it." };
  return null;
}
