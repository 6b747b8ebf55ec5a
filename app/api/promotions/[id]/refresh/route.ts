import { refreshPromotion } from "@/lib/dal/promotions";
import { refreshBody } from "@/lib/validation/promotions";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/promotions/:id/refresh – the requester asks the worker to evaluate the gates afresh; a stale request opens again.
export const POST = apiRoute<never, typeof refreshBody, { id: string }>(
  { access: "promotions:request", body: refreshBody },
  ({ user, params }) => refreshPromotion(user, params.id),
);

export * from "@/lib/http/other-methods";
