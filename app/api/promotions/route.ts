import { listPromotions, requestPromotion } from "@/lib/dal/promotions";
import { listPromotionsQuery, requestPromotionBody } from "@/lib/validation/promotions";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/promotions – the approval queue (oldest first), my requests, or all.
export const GET = apiRoute({ access: "promotions:read", query: listPromotionsQuery }, ({ user, query }) =>
  listPromotions(user, query),
);

// POST /api/promotions – request a promotion; captures the evidence and evaluates the gates.
export const POST = apiRoute({ access: "promotions:request", body: requestPromotionBody }, ({ user, body }) =>
  requestPromotion(user, body),
);

export * from "@/lib/http/other-methods";
