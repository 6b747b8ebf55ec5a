import { commentOnPromotion } from "@/lib/dal/promotions";
import { commentBody } from "@/lib/validation/promotions";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/promotions/:id/comments – the requester or a risk officer adds a comment.
export const POST = apiRoute<never, typeof commentBody, { id: string }>(
  { access: "promotions:read", body: commentBody },
  ({ user, params, body }) => commentOnPromotion(user, params.id, body.body),
);

export * from "@/lib/http/other-methods";
