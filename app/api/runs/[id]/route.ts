import { getRun } from "@/lib/dal/runs";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/runs/:id – one run with its status history, polled by the run page until it ends.
export const GET = apiRoute<never, never, { id: string }>({ access: "runs:read" }, ({ user, params }) =>
  getRun(user, params.id),
);

export * from "@/lib/http/other-methods";
