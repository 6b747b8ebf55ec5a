import { reconcileMismatchAlert } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { alertIdParams } from "@/lib/validation/alerts";

// POST /api/alerts/:id/reconcile – a "registry and serving disagree" alert: the registry follows what serves (OnCall).
export const POST = apiRoute(
  { access: "deployments:rollback", params: alertIdParams },
  async ({ user, params, request }) =>
    Response.json(
      await reconcileMismatchAlert(user, params.id, request.headers.get("x-request-id") ?? undefined),
      { status: 202 },
    ),
);

export * from "@/lib/http/other-methods";
