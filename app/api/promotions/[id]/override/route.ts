import { overridePromotionGates } from "@/lib/dal/promotions";
import { overrideBody } from "@/lib/validation/promotions";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/promotions/:id/override – an officer proposes overriding the failed gates with a reason; a second officer confirms.
export const POST = apiRoute<never, typeof overrideBody, { id: string }>(
  { access: "promotions:decide", body: overrideBody },
  ({ user, params, body }) => overridePromotionGates(user, params.id, body),
);

export * from "@/lib/http/other-methods";
