import { listAlertDefaults, saveAlertDefault } from "@/lib/dal/alert-defaults";
import { apiRoute } from "@/lib/http/api-route";
import { alertDefaultInput } from "@/lib/validation/alerts";

// GET /api/admin/alert-defaults – the rules a new service starts with (admins and risk officers).
export const GET = apiRoute({ access: "admin:read" }, ({ user }) => listAlertDefaults(user));

// PUT /api/admin/alert-defaults – {kind, threshold, forMinutes}: an admin changes one kind's default (audited).
export const PUT = apiRoute({ access: "admin:manage", body: alertDefaultInput }, async ({ user, body }) => ({
  default: await saveAlertDefault(user, body),
}));

export * from "@/lib/http/other-methods";
