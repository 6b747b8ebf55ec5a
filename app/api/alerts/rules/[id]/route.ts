import { deleteAlertRule } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { ruleIdParams } from "@/lib/validation/alerts";

// DELETE /api/alerts/rules/:id – removes a rule and its alerts; the audit trail keeps it (alerts:configure).
export const DELETE = apiRoute({ access: "alerts:configure", params: ruleIdParams }, ({ user, params }) =>
  deleteAlertRule(user, params.id),
);

export * from "@/lib/http/other-methods";
