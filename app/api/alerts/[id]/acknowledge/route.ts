import type { z } from "zod";
import { acknowledgeAlert } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { acknowledgeInput } from "@/lib/validation/alerts";

// POST /api/alerts/:id/acknowledge – {note}: an on-call engineer takes the alert (OnCall).
export const POST = apiRoute<z.ZodUndefined, typeof acknowledgeInput, { id: string }>({ access: "alerts:acknowledge", body: acknowledgeInput }, async ({ user, params, body }) => ({
  alert: await acknowledgeAlert(user, params.id, body),
}));
