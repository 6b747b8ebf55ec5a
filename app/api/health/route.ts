import { apiRoute } from "@/lib/http/api-route";

// GET /api/health – liveness: the process serves requests. Checks nothing else on purpose.
export const GET = apiRoute({ access: "public" }, async () => ({ status: "ok" }));

export * from "@/lib/http/other-methods";
