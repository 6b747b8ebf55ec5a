import { getPromotionVersion } from "@/lib/dal/promotions";
import { apiRoute } from "@/lib/http/api-route";
import { promotionVersionQuery } from "@/lib/validation/promotions";

// GET /api/promotions/version[?id=] – a token that changes when the request (or any request) changes; pages poll it.
export const GET = apiRoute({ access: "promotions:read", query: promotionVersionQuery }, ({ user, query }) =>
  getPromotionVersion(user, query.id),
);

export * from "@/lib/http/other-methods";
