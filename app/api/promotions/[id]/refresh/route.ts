import { refreshBody, refreshPromotion } from "@/lib/dal/promotions";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/promotions/:id/refresh – the requester recaptures the evidence; a stale request opens again.
export const POST = apiRoute<never, typeof refreshBody, { id: string }>({ access: "promotions:request", body: refreshBody }, ({ user, params, body }) => refreshPromotion(user, params.id, body));
