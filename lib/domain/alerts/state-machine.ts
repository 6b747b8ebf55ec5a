/**
 * The life of one alert, as a pure function of the rule, what was observed now, and the alert
 * still open for that rule (if any). Running it twice with the same inputs gives the same answer,
 * which is what makes the scheduled evaluation safe to repeat.
 *
 *   (none) --breach--> PENDING --breach for forMinutes--> FIRING --person--> ACKNOWLEDGED
 *   PENDING/FIRING/ACKNOWLEDGED --no breach--> RESOLVED;   a later breach opens a new alert.
 *
 * A silence (a window on the service) keeps new breaches from opening alerts and pending ones from
 * firing; alerts already firing keep their state and resolve normally, so nothing is lost from view.
 */

/** The kinds of rule a person sets a threshold for (the rule forms offer these). */
export const ruleKinds = [
  "LATENCY_P95",
  "ERROR_RATE",
  "DRIFT_SHARE",
  "NO_DATA",
  "LLM_TTFT_P95",
  "LLM_QUEUE_SIZE",
] as const;
/**
 * Every kind of alert: REGISTRY_MISMATCH is raised by the serving reconciler when the registry's
 * production holder is not the version KServe serves; its rule exists only to carry the service.
 */
export const alertKinds = [...ruleKinds, "REGISTRY_MISMATCH"] as const;
export type AlertKind = (typeof alertKinds)[number];
export type RuleKind = (typeof ruleKinds)[number];
export const isRuleKind = (kind: AlertKind): kind is RuleKind =>
  (ruleKinds as readonly string[]).includes(kind);
export const alertKindLabels: Record<AlertKind, string> = {
  LATENCY_P95: "Latency p95",
  ERROR_RATE: "Error rate",
  DRIFT_SHARE: "Drift",
  NO_DATA: "No data",
  LLM_TTFT_P95: "Time to first token p95",
  LLM_QUEUE_SIZE: "LLM queue size",
  REGISTRY_MISMATCH: "Registry and serving disagree",
};
export type OpenAlertState = "PENDING" | "FIRING" | "ACKNOWLEDGED";
export type AlertStateName = OpenAlertState | "RESOLVED";

export interface RuleSpec {
  kind: AlertKind;
  /** Milliseconds for latency and TTFT, a 0–1 share for error rate and drift, minutes for no-data, requests for queue size. */
  threshold: number;
  forMinutes: number;
}

/** A number for the rule's kind, or null when the source had nothing to say. */
export interface Observation {
  value: number | null;
}

export interface OpenAlert {
  state: OpenAlertState;
  /** Unix milliseconds. */
  pendingSince: number;
}

export type AlertTransition =
  | { type: "none" }
  | { type: "open"; state: "PENDING" | "FIRING"; pendingSince: number; firedAt: number | null }
  | { type: "keep" }
  | { type: "fire"; firedAt: number }
  | { type: "resolve"; resolvedAt: number };

/**
 * Whether the observation breaks the rule. No data breaks only a NO_DATA rule: the other rules
 * cannot tell healthy from silent, and a missing metric must not read as healthy either, which is
 * what NO_DATA is for. For NO_DATA the value is the requests seen in the rule's window.
 */
export function isBreaching(rule: RuleSpec, observation: Observation): boolean {
  const { value } = observation;
  if (rule.kind === "NO_DATA") return value === null || value <= 0;
  if (value === null || !Number.isFinite(value)) return false;
  if (rule.kind === "DRIFT_SHARE") return value >= rule.threshold;
  return value > rule.threshold;
}

export function nextAlertTransition(input: {
  rule: RuleSpec;
  open: OpenAlert | null;
  isBreaching: boolean;
  isSilenced: boolean;
  now: number;
}): AlertTransition {
  const { rule, open, isBreaching: breaching, isSilenced, now } = input;
  const forMs = Math.max(0, rule.forMinutes) * 60_000;
  if (!open) {
    if (!breaching || isSilenced) return { type: "none" };
    return forMs === 0
      ? { type: "open", state: "FIRING", pendingSince: now, firedAt: now }
      : { type: "open", state: "PENDING", pendingSince: now, firedAt: null };
  }
  if (!breaching) return { type: "resolve", resolvedAt: now };
  if (open.state === "PENDING" && !isSilenced && now - open.pendingSince >= forMs)
    return { type: "fire", firedAt: now };
  return { type: "keep" };
}

export type AlertNotificationEvent = "FIRING" | "RESOLVED";

/**
 * What a transition tells people: that an alert fires, and that one which fired has resolved (a
 * pending alert going away was never news). Nothing while the service is silenced.
 */
export function notificationFor(
  transition: AlertTransition,
  open: OpenAlert | null,
  isSilenced: boolean,
): AlertNotificationEvent | null {
  if (isSilenced) return null;
  if (transition.type === "fire" || (transition.type === "open" && transition.state === "FIRING"))
    return "FIRING";
  if (transition.type === "resolve" && open !== null && open.state !== "PENDING") return "RESOLVED";
  return null;
}

/** Only a firing alert can be acknowledged: a pending one may still go away on its own. */
export function canAcknowledge(state: AlertStateName): boolean {
  return state === "FIRING";
}

export interface SilenceWindow {
  startsAt: number;
  endsAt: number;
}

export const isSilencedAt = (silences: SilenceWindow[], now: number) =>
  silences.some((s) => s.startsAt <= now && now < s.endsAt);

/** The rules a service gets when it has none (issue 6's defaults). */
export const defaultRules: ReadonlyArray<RuleSpec> = [
  { kind: "LATENCY_P95", threshold: 500, forMinutes: 5 },
  { kind: "ERROR_RATE", threshold: 0.05, forMinutes: 5 },
  { kind: "DRIFT_SHARE", threshold: 0.5, forMinutes: 0 },
  { kind: "NO_DATA", threshold: 10, forMinutes: 0 },
];

/**
 * What an LLM service gets on top (docs/decisions/019): a first token slower than 2 s at p95 for
 * 5 minutes, and more than 10 requests waiting for a batch slot for 5 minutes (a queue that does not
 * drain: more replicas or a smaller max_tokens, not a blip).
 */
export const defaultLlmRules: ReadonlyArray<RuleSpec> = [
  { kind: "LLM_TTFT_P95", threshold: 2000, forMinutes: 5 },
  { kind: "LLM_QUEUE_SIZE", threshold: 10, forMinutes: 5 },
];

/** One line for people: "p95 latency 812 ms > 500 ms on churn-classifier-predictor-00002". */
export function describeBreach(rule: RuleSpec, value: number | null, revisionName?: string | null): string {
  const on = revisionName ? ` on ${revisionName}` : "";
  switch (rule.kind) {
    case "LATENCY_P95":
      return `p95 latency ${value === null ? "unknown" : `${Math.round(value)} ms`} > ${rule.threshold} ms${on}`;
    case "ERROR_RATE":
      return `error rate ${value === null ? "unknown" : `${(value * 100).toFixed(1)} %`} > ${(rule.threshold * 100).toFixed(1)} %${on}`;
    case "DRIFT_SHARE":
      return `dataset drift share ${value === null ? "unknown" : value.toFixed(2)} ≥ ${rule.threshold}`;
    case "NO_DATA":
      return `no requests recorded in the last ${rule.threshold} min`;
    case "LLM_TTFT_P95":
      return `p95 time to first token ${value === null ? "unknown" : `${Math.round(value)} ms`} > ${rule.threshold} ms${on}`;
    case "LLM_QUEUE_SIZE":
      return `LLM queue ${value === null ? "unknown" : `${Math.round(value)} requests waiting`} > ${rule.threshold}${on}`;
    case "REGISTRY_MISMATCH":
      return "the registry's production version is not the one serving";
  }
}

/** A threshold in its kind's unit: "500 ms", "5.0 %", "0.5", "10 min". */
export function formatThreshold(kind: AlertKind, threshold: number): string {
  switch (kind) {
    case "LATENCY_P95":
      return `${threshold} ms`;
    case "ERROR_RATE":
      return `${(threshold * 100).toFixed(1)} %`;
    case "DRIFT_SHARE":
      return String(threshold);
    case "NO_DATA":
      return `${threshold} min`;
    case "LLM_TTFT_P95":
      return `${threshold} ms`;
    case "LLM_QUEUE_SIZE":
      return `${threshold} requests`;
    case "REGISTRY_MISMATCH":
      return "any difference";
  }
}

/** The rule in words: "p95 latency > 500 ms for 5 min". */
export function describeRule(rule: RuleSpec): string {
  const lasting = rule.forMinutes > 0 ? ` for ${rule.forMinutes} min` : "";
  const threshold = formatThreshold(rule.kind, rule.threshold);
  switch (rule.kind) {
    case "LATENCY_P95":
      return `p95 latency > ${threshold}${lasting}`;
    case "ERROR_RATE":
      return `error rate > ${threshold}${lasting}`;
    case "DRIFT_SHARE":
      return `dataset drift share ≥ ${threshold}${lasting}`;
    case "NO_DATA":
      return `no requests for ${threshold}${lasting}`;
    case "LLM_TTFT_P95":
      return `p95 time to first token > ${threshold}${lasting}`;
    case "LLM_QUEUE_SIZE":
      return `LLM queue > ${threshold}${lasting}`;
    case "REGISTRY_MISMATCH":
      return "the registry's production version is the one serving, checked every minute";
  }
}
