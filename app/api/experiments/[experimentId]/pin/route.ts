import { setExperimentPinned } from "@/lib/dal/experiments";
import { apiRoute } from "@/lib/http/api-route";
import { experimentIdParams, pinExperimentInput } from "@/lib/validation/experiments";

// PUT /api/experiments/:experimentId/pin {"isPinned": true|false} – the worker copies a pinned experiment's runs ahead of time (Admin, audited).
export const PUT = apiRoute(
  { access: "admin:manage", params: experimentIdParams, body: pinExperimentInput },
  async ({ user, params, body }) => ({
    experiment: await setExperimentPinned(user, params.experimentId, body.isPinned),
  }),
);

export * from "@/lib/http/other-methods";
