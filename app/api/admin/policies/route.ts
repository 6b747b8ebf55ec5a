import { listPolicies, savePolicy } from "@/lib/dal/policies";
import { listPoliciesQuery, savePolicyBody } from "@/lib/validation/policies";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/admin/policies – every promotion policy version; POST – an admin writes the next version of one.
export const GET = apiRoute({ access: "admin:read", query: listPoliciesQuery }, ({ user, query }) =>
  listPolicies(user, query.modelName),
);
export const POST = apiRoute({ access: "admin:manage", body: savePolicyBody }, ({ user, body }) =>
  savePolicy(user, body),
);

export * from "@/lib/http/other-methods";
