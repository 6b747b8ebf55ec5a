import { decidePromotion } from "@/lib/dal/promotions";
import { decidePromotionBody } from "@/lib/validation/promotions";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/promotions/:id/decisions – approve or reject with a comment; 409 says who decided first.
export const POST = apiRoute<never, typeof decidePromotionBody, { id: string }>(
  { access: "promotions:decide", body: decidePromotionBody },
  ({ user, params, body }) => decidePromotion(user, params.id, body),
);

export * from "@/lib/http/other-methods";
