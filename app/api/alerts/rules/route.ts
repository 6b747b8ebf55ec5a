import { listRulesForService, saveAlertRule } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { ruleInput, serviceRulesQuery } from "@/lib/validation/alerts";

// GET /api/alerts/rules?namespace=&serviceName= – a service's rules.
export const GET = apiRoute(
  { access: "monitoring:read", query: serviceRulesQuery },
  async ({ user, query }) => ({
    rules: await listRulesForService(user, query.namespace, query.serviceName),
  }),
);

// PUT /api/alerts/rules – {namespace, serviceName, kind, threshold, forMinutes, isEnabled}: create or change the service's rule of that kind (alerts:configure).
export const PUT = apiRoute({ access: "alerts:configure", body: ruleInput }, async ({ user, body }) => ({
  rule: await saveAlertRule(user, body),
}));

export * from "@/lib/http/other-methods";
