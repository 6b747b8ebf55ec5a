import { verifyAuditChain } from "@/lib/dal/audit";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/audit/verify – recompute every hash and link; intact, or the first broken event.
export const GET = apiRoute({ access: "audit:read" }, ({ user }) => verifyAuditChain(user));

export * from "@/lib/http/other-methods";
