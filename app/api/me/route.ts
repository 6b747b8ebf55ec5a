import { apiRoute } from "@/lib/http/api-route";

// GET /api/me – the signed-in person and their Entra app roles.
export const GET = apiRoute({ access: "signed-in" }, async ({ user }) => ({ user }));

export * from "@/lib/http/other-methods";
