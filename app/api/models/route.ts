import { listModels } from "@/lib/dal/models";
import { listModelsQuery } from "@/lib/validation/models";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/models?q= – registered models from both registries, searched by name, description and tags.
export const GET = apiRoute({ access: "models:read", query: listModelsQuery }, ({ user, query }) =>
  listModels(user, query),
);

export * from "@/lib/http/other-methods";
