import { listPolicies, savePolicy, savePolicyBody } from "@/lib/dal/policies";
import { apiRoute } from "@/lib/http/api-route";
import { z } from "zod";

const listQuery = z.object({ modelName: z.string().trim().min(1).max(255).optional() });

// GET /api/admin/policies – every promotion policy version; POST – an admin writes the next version of one.
export const GET = apiRoute({ access: "admin:read", query: listQuery }, ({ user, query }) =>
  listPolicies(user, query.modelName),
);
export const POST = apiRoute({ access: "admin:manage", body: savePolicyBody }, ({ user, body }) =>
  savePolicy(user, body),
);

export * from "@/lib/http/other-methods";
