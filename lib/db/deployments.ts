import type { Prisma } from "./client";

/**
 * The deployment columns that both the DAL's DTOs (lib/dal/deployments.ts) and the rollout worker
 * (workers/handlers/promotions.ts) read: one select, so the page and the worker see the same row.
 */
export const deploymentSelect = {
  id: true,
  action: true,
  status: true,
  namespace: true,
  serviceName: true,
  modelName: true,
  modelVersion: true,
  storageUri: true,
  canaryPercent: true,
  step: true,
  revisionName: true,
  previousRevision: true,
  registryStatus: true,
  registryNote: true,
  error: true,
  promotionRequestId: true,
  requestedBy: { select: { name: true } },
  createdAt: true,
  updatedAt: true,
  finishedAt: true,
} satisfies Prisma.DeploymentSelect;

export type DeploymentRow = Prisma.DeploymentGetPayload<{ select: typeof deploymentSelect }>;
