/**
 * The rules of a decision on a promotion request, kept pure so they are tested without a
 * database: who may decide, what the decision does to the request's status, and what to tell
 * someone whose action no longer applies.
 */
export type RequestStatus = "OPEN" | "STALE" | "WITHDRAWN" | "REJECTED" | "APPROVED" | "APPLYING" | "APPLIED" | "FAILED";

export interface DecisionContext {
  status: RequestStatus;
  requesterId: string;
  requiredApprovals: number;
  approvals: Array<{ deciderId: string }>;
  staleReason: string | null;
}

export type DecisionOutcome =
  | { ok: true; nextStatus: RequestStatus; approvalsAfter: number }
  | { ok: false; code: "FORBIDDEN" | "CONFLICT"; message: string };

export function assessDecision(context: DecisionContext, deciderId: string, decision: "APPROVE" | "REJECT"): DecisionOutcome {
  if (deciderId === context.requesterId) return { ok: false, code: "FORBIDDEN", message: "You requested this promotion, so someone else must decide it (four-eyes rule)." };
  if (context.status === "STALE") return { ok: false, code: "CONFLICT", message: `This request is stale and cannot be decided until the requester refreshes its evidence: ${context.staleReason ?? "the registry changed"}.` };
  if (context.status !== "OPEN") return { ok: false, code: "CONFLICT", message: `This request is ${context.status.toLowerCase()}; there is nothing left to decide.` };
  if (context.approvals.some((a) => a.deciderId === deciderId)) return { ok: false, code: "CONFLICT", message: "You have already approved this request; another officer must give the next approval." };
  if (decision === "REJECT") return { ok: true, nextStatus: "REJECTED", approvalsAfter: context.approvals.length };
  const approvalsAfter = context.approvals.length + 1;
  return { ok: true, nextStatus: approvalsAfter >= context.requiredApprovals ? "APPROVED" : "OPEN", approvalsAfter };
}

/** "Riley Chen approved this request 2 seconds ago" — for the officer who lost a race. */
export function describeLatestChange(change: { actorName: string; action: string; at: Date }, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - change.at.getTime()) / 1000));
  const ago = seconds < 60 ? `${seconds} second${seconds === 1 ? "" : "s"} ago` : seconds < 3600 ? `${Math.round(seconds / 60)} minutes ago` : `${Math.round(seconds / 3600)} hours ago`;
  return `${change.actorName} ${change.action} this request ${ago}`;
}

/**
 * A request's snapshot goes stale when the registry moved on: a newer version was registered or
 * the version holding the target stage/alias changed. Returns why, or null when still current.
 */
export function detectStaleness(snapshot: { latestVersion: string; incumbentVersion: string | null }, current: { latestVersion: string; incumbentVersion: string | null }): string | null {
  const reasons: string[] = [];
  if (Number(current.latestVersion) > Number(snapshot.latestVersion)) reasons.push(`version ${current.latestVersion} was registered after the evidence was captured (newest then: ${snapshot.latestVersion})`);
  if (current.incumbentVersion !== snapshot.incumbentVersion) {
    reasons.push(`the incumbent changed from ${snapshot.incumbentVersion ? `v${snapshot.incumbentVersion}` : "none"} to ${current.incumbentVersion ? `v${current.incumbentVersion}` : "none"}`);
  }
  return reasons.length ? reasons.join("; ") : null;
}
