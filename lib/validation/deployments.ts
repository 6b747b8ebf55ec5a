import { z } from "zod";

export const rollbackInput = z.object({
  namespace: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "namespace: a Kubernetes namespace name"),
  serviceName: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "serviceName: an InferenceService name"),
  reason: z.string().trim().min(3, "reason: say why, in a few words").max(1000),
});

export type RollbackInput = z.output<typeof rollbackInput>;

/** POST /api/deployments body: one shape per action. */
export const deploymentActionInput = z.discriminatedUnion("action", [
  z.object({ action: z.literal("promote"), deploymentId: z.uuid() }),
  rollbackInput.extend({ action: z.literal("rollback") }),
  z.object({ action: z.literal("reconcile-registry"), deploymentId: z.uuid() }),
]);

/** GET /api/deployments: one promotion request's rollouts, or one service's. */
export const listDeploymentsQuery = z.object({
  promotionRequestId: z.uuid().optional(),
  namespace: z.string().min(1).max(63).optional(),
  serviceName: z.string().min(1).max(63).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
