import { countFiringAlerts } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/alerts/count – firing alerts not under a silence, for the header badge.
export const GET = apiRoute({ access: "signed-in" }, async ({ user }) => ({
  firing: await countFiringAlerts(user),
}));

export * from "@/lib/http/other-methods";
