import { requestCancel } from "@/lib/dal/runs";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/runs/:id/cancel – ask for a cancel (the launcher or an Admin); works before and after submit.
export const POST = apiRoute<never, never, { id: string }>({ access: "runs:cancel" }, ({ user, params }) =>
  requestCancel(user, params.id),
);

export * from "@/lib/http/other-methods";
