import { z } from "zod";
import { alertKindLabels, ruleKinds, type RuleKind } from "@/lib/domain/alerts/state-machine";

/**
 * Alert inputs, shared by the route handlers, the DAL and the rules form, so a person sees the
 * server's own rule before they submit.
 */

export const kubernetesName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a Kubernetes name");
const alertStates = ["PENDING", "FIRING", "ACKNOWLEDGED", "RESOLVED"] as const;

export const alertListQuery = z.object({
  /** "open" = pending, firing or acknowledged. */
  state: z.enum(["open", "all", ...alertStates]).default("open"),
  namespace: kubernetesName.optional(),
  service: kubernetesName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type AlertListQuery = z.input<typeof alertListQuery>;

export const acknowledgeInput = z.object({
  note: z.string().trim().min(3, "note: say what you are doing about it").max(2000),
});

export const silenceInput = z.object({
  namespace: kubernetesName,
  serviceName: kubernetesName,
  durationMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  reason: z.string().trim().min(3, "reason: say why").max(1000),
});

/** What each kind's threshold means and its bounds; the form shows `unit` and `hint`. */
export const thresholdBounds: Record<
  RuleKind,
  { unit: string; hint: string; min: number; max: number; isInteger: boolean; message: string }
> = {
  LATENCY_P95: {
    unit: "ms",
    hint: "Milliseconds, e.g. 500.",
    min: 1,
    max: 600_000,
    isInteger: false,
    message: "milliseconds between 1 and 600000 (10 min)",
  },
  ERROR_RATE: {
    unit: "share",
    hint: "A share between 0 and 1: 0.05 is 5 %.",
    min: 0.0001,
    max: 1,
    isInteger: false,
    message: "a share between 0 and 1, e.g. 0.05 for 5 %",
  },
  DRIFT_SHARE: {
    unit: "share",
    hint: "Share of drifted features, 0 to 1: 0.5 fires when half drift.",
    min: 0.0001,
    max: 1,
    isInteger: false,
    message: "a share between 0 and 1, e.g. 0.5",
  },
  NO_DATA: {
    unit: "min",
    hint: "Minutes without a request, e.g. 10.",
    min: 1,
    max: 24 * 60,
    isInteger: true,
    message: "whole minutes between 1 and 1440",
  },
  LLM_TTFT_P95: {
    unit: "ms",
    hint: "Milliseconds to the first token at p95, e.g. 2000.",
    min: 1,
    max: 600_000,
    isInteger: false,
    message: "milliseconds between 1 and 600000 (10 min)",
  },
  LLM_QUEUE_SIZE: {
    unit: "requests",
    hint: "Requests waiting for a batch slot, e.g. 10.",
    min: 1,
    max: 100_000,
    isInteger: true,
    message: "whole requests between 1 and 100000",
  },
};

/** A rule's kind, threshold and window: what a service's rule and an admin's default have in common. */
const ruleSettings = {
  kind: z.enum(ruleKinds),
  /** Milliseconds for latency, a 0–1 share for error rate and drift, minutes for no-data. */
  threshold: z.coerce.number({ error: "a number" }).refine(Number.isFinite, "a number"),
  forMinutes: z.coerce
    .number({ error: "whole minutes" })
    .int("whole minutes")
    .min(0, "0 or more minutes")
    .max(24 * 60, "at most 1440 minutes (a day)"),
};

/** A threshold outside its kind's bounds is an issue on the threshold field. */
function checkThreshold(rule: { kind: RuleKind; threshold: number }, context: z.RefinementCtx) {
  const bounds = thresholdBounds[rule.kind];
  const isInRange =
    rule.threshold >= bounds.min &&
    rule.threshold <= bounds.max &&
    (!bounds.isInteger || Number.isInteger(rule.threshold));
  if (!isInRange)
    context.addIssue({
      code: "custom",
      path: ["threshold"],
      message: `${alertKindLabels[rule.kind]} thresholds are ${bounds.message}`,
    });
}

export const ruleInput = z
  .object({
    namespace: kubernetesName,
    serviceName: kubernetesName,
    ...ruleSettings,
    isEnabled: z.boolean().default(true),
  })
  .superRefine(checkThreshold);
export type RuleInput = z.input<typeof ruleInput>;

export const ruleIdParams = z.object({ id: z.uuid("an alert rule id") });
export const alertIdParams = z.object({ id: z.uuid("an alert id") });
export const serviceParams = z.object({ namespace: kubernetesName, service: kubernetesName });
export const silenceIdParams = z.object({ id: z.uuid("a silence id") });

export const serviceRulesQuery = z.object({ namespace: kubernetesName, serviceName: kubernetesName });

/** An admin's default for one kind of rule (/admin/alerts): the same bounds as a service's rule. */
export const alertDefaultInput = z.object(ruleSettings).superRefine(checkThreshold);
export type AlertDefaultInput = z.input<typeof alertDefaultInput>;
