import { z } from "zod";

/**
 * Faults on demand, so tests can see how Switchboard copes with a slow or failing cloud.
 * Set with POST /__sandbox/faults (or SANDBOX_FAULTS as JSON); each rule applies to requests whose
 * method and path match, optionally only for the next `times` requests or with a probability.
 */
export const faultRule = z.object({
  /** Regular expression tested against the request path (without query). */
  path: z.string().min(1),
  method: z.string().toUpperCase().optional(),
  /** Added delay before the request is handled (or before the fault is returned). */
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  /** HTTP status to answer with instead of handling the request (e.g. 429, 500, 503). */
  status: z.number().int().min(400).max(599).optional(),
  /** Error code for the body; defaults from the status (429 REQUEST_LIMIT_EXCEEDED, ...). */
  errorCode: z.string().optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** Never answer: the client's timeout must fire. */
  hang: z.boolean().default(false),
  probability: z.number().min(0).max(1).default(1),
  /** Apply to at most this many matching requests, then remove the rule. */
  times: z.number().int().positive().optional(),
});
export type FaultRule = z.infer<typeof faultRule>;
export const faultRules = z.object({ rules: z.array(faultRule) });

interface ActiveRule extends FaultRule {
  pattern: RegExp;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  set(rules: FaultRule[]) {
    this.rules = rules.map((rule) => ({
      ...rule,
      pattern: new RegExp(rule.path),
      remaining: rule.times ?? Infinity,
    }));
  }

  add(rules: FaultRule[]) {
    this.set([...this.list(), ...rules]);
  }

  list(): FaultRule[] {
    return this.rules.map(({ pattern: _pattern, remaining, ...rule }) => ({
      ...rule,
      times: Number.isFinite(remaining) ? remaining : undefined,
    }));
  }

  /** The rule that applies to this request, consuming one of its `times`. */
  match(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (!r.method || r.method === method) &&
        r.pattern.test(path) &&
        Math.random() < r.probability,
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}

export const defaultErrorCode = (status: number) =>
  status === 429
    ? "REQUEST_LIMIT_EXCEEDED"
    : status === 503
      ? "TEMPORARILY_UNAVAILABLE"
      : status === 504
        ? "DEADLINE_EXCEEDED"
        : status >= 500
          ? "INTERNAL_ERROR"
          : status === 404
            ? "RESOURCE_DOES_NOT_EXIST"
            : status === 403
              ? "PERMISSION_DENIED"
              : status === 401
                ? "UNAUTHENTICATED"
                : "BAD_REQUEST";
