import { acknowledgeAlert } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { acknowledgeInput, alertIdParams } from "@/lib/validation/alerts";

// POST /api/alerts/:id/acknowledge – {note}: an on-call engineer takes the alert (OnCall).
export const POST = apiRoute(
  { access: "alerts:acknowledge", params: alertIdParams, body: acknowledgeInput },
  async ({ user, params, body }) => ({
    alert: await acknowledgeAlert(user, params.id, body),
  }),
);

export * from "@/lib/http/other-methods";
