import { getPromotion } from "@/lib/dal/promotions";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/promotions/:id – one request with its evidence, gates, decisions, comments and trail.
export const GET = apiRoute<never, never, { id: string }>({ access: "promotions:read" }, ({ user, params }) =>
  getPromotion(user, params.id),
);

export * from "@/lib/http/other-methods";
