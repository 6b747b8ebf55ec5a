import { withdrawPromotion } from "@/lib/dal/promotions";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/promotions/:id/withdraw – the requester withdraws an open or stale request.
export const POST = apiRoute<never, never, { id: string }>(
  { access: "promotions:request" },
  ({ user, params }) => withdrawPromotion(user, params.id),
);

export * from "@/lib/http/other-methods";
