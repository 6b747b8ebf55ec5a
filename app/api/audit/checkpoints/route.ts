import { checkpointAuditChainNow } from "@/lib/dal/audit";
import { apiRoute } from "@/lib/http/api-route";

// POST /api/audit/checkpoints – record the chain head in the write-once store now (the worker also does so on a schedule).
export const POST = apiRoute({ access: "audit:read" }, ({ user }) => checkpointAuditChainNow(user));

export * from "@/lib/http/other-methods";
