import { getRunMetrics } from "@/lib/dal/runs";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/runs/:id/metrics – the latest metrics with a short history each, for the run page's chart.
export const GET = apiRoute<never, never, { id: string }>({ access: "runs:read" }, ({ user, params }) =>
  getRunMetrics(user, params.id),
);

export * from "@/lib/http/other-methods";
