import type { AlertState, DeploymentStatus, PromotionStatus, RunStatus } from "@/lib/db/generated/enums";
import type { Tone } from "./tone";

// Every status the platform shows, by domain, with its tone, label and whether it is still moving.
// Each table is checked against its Prisma enum (and KServe's Ready condition), so a new enum value
// fails typechecking here instead of rendering grey.

interface StatusPresentation {
  tone: Tone;
  label: string;
  /** Still changing on its own: drawn with a pulsing dot and worth polling. */
  isActive: boolean;
}

const run = {
  QUEUED: { tone: "neutral", label: "Queued", isActive: true },
  SUBMITTING: { tone: "progress", label: "Submitting", isActive: true },
  PENDING: { tone: "progress", label: "Pending", isActive: true },
  RUNNING: { tone: "progress", label: "Running", isActive: true },
  TERMINATING: { tone: "progress", label: "Terminating", isActive: true },
  SUCCEEDED: { tone: "success", label: "Succeeded", isActive: false },
  FAILED: { tone: "danger", label: "Failed", isActive: false },
  TIMED_OUT: { tone: "danger", label: "Timed out", isActive: false },
  CANCELLING: { tone: "warning", label: "Cancelling", isActive: true },
  CANCELLED: { tone: "neutral", label: "Cancelled", isActive: false },
  INTERNAL_ERROR: { tone: "danger", label: "Internal error", isActive: false },
} as const satisfies Record<RunStatus, StatusPresentation>;

const promotion = {
  EVALUATING: { tone: "progress", label: "Evaluating gates", isActive: true },
  OPEN: { tone: "info", label: "Open", isActive: false },
  STALE: { tone: "warning", label: "Stale", isActive: false },
  WITHDRAWN: { tone: "neutral", label: "Withdrawn", isActive: false },
  REJECTED: { tone: "danger", label: "Rejected", isActive: false },
  APPROVED: { tone: "success", label: "Approved", isActive: false },
  APPLYING: { tone: "progress", label: "Applying", isActive: true },
  APPLIED: { tone: "success", label: "Applied", isActive: false },
  FAILED: { tone: "danger", label: "Failed", isActive: false },
} as const satisfies Record<PromotionStatus, StatusPresentation>;

const alert = {
  PENDING: { tone: "warning", label: "Pending", isActive: true },
  FIRING: { tone: "danger", label: "Firing", isActive: true },
  ACKNOWLEDGED: { tone: "info", label: "Acknowledged", isActive: false },
  RESOLVED: { tone: "success", label: "Resolved", isActive: false },
} as const satisfies Record<AlertState, StatusPresentation>;

const deployment = {
  PENDING: { tone: "neutral", label: "Pending", isActive: true },
  IN_PROGRESS: { tone: "progress", label: "In progress", isActive: true },
  SUCCEEDED: { tone: "success", label: "Succeeded", isActive: false },
  FAILED: { tone: "danger", label: "Failed", isActive: false },
} as const satisfies Record<DeploymentStatus, StatusPresentation>;

/** KServe's Ready condition (True/False/Unknown) as the platform names it. */
const service = {
  Ready: { tone: "success", label: "Ready", isActive: false },
  NotReady: { tone: "danger", label: "Not ready", isActive: false },
  Unknown: { tone: "warning", label: "Unknown", isActive: false },
} as const satisfies Record<string, StatusPresentation>;

const statusTables = { run, promotion, alert, deployment, service } as const;

export type StatusDomain = keyof typeof statusTables;
export type StatusOf<D extends StatusDomain> = keyof (typeof statusTables)[D] & string;
export type RunStatusValue = StatusOf<"run">;
export type PromotionStatusValue = StatusOf<"promotion">;
export type AlertStateValue = StatusOf<"alert">;
export type DeploymentStatusValue = StatusOf<"deployment">;
export type ServiceReadiness = StatusOf<"service">;

export const statusValues = {
  run: Object.keys(run) as RunStatusValue[],
  promotion: Object.keys(promotion) as PromotionStatusValue[],
  alert: Object.keys(alert) as AlertStateValue[],
  deployment: Object.keys(deployment) as DeploymentStatusValue[],
  service: Object.keys(service) as ServiceReadiness[],
};

/** "SOME_VALUE" → "Some value", for statuses that arrive before this table learns them. */
export function humanizeStatus(value: string): string {
  const words = value
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Presentation of a status; an unknown value renders neutral with its own words rather than failing. */
export function describeStatus(domain: StatusDomain, status: string): StatusPresentation {
  const table: Record<string, StatusPresentation> = statusTables[domain];
  return Object.hasOwn(table, status)
    ? table[status]
    : { tone: "neutral", label: humanizeStatus(status), isActive: false };
}

/** KServe condition status ("True" | "False" | "Unknown") to the service readiness shown in the UI. */
export function serviceReadinessFromCondition(conditionStatus: string | undefined): ServiceReadiness {
  if (conditionStatus === "True") return "Ready";
  if (conditionStatus === "False") return "NotReady";
  return "Unknown";
}
