import { z } from "zod";
import { listRulesForService, ruleInput, saveAlertRule } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";

const rulesQuery = z.object({ namespace: z.string().min(1).max(63), serviceName: z.string().min(1).max(63) });

// GET /api/alerts/rules?namespace=&serviceName= – a service's rules.
export const GET = apiRoute({ access: "monitoring:read", query: rulesQuery }, async ({ user, query }) => ({ rules: await listRulesForService(user, query.namespace, query.serviceName) }));

// PUT /api/alerts/rules – {namespace, serviceName, kind, threshold, forMinutes, isEnabled}: create or change the service's rule of that kind (OnCall, Admin).
export const PUT = apiRoute({ access: "signed-in", body: ruleInput }, async ({ user, body }) => ({ rule: await saveAlertRule(user, body) }));
