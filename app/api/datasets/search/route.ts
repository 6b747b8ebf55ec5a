import { searchDatasets } from "@/lib/dal/datasets";
import { searchQuery } from "@/lib/validation/datasets";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/datasets/search?q= – catalogs, schemas and tables whose names or comments match (e.g. a dataset picker).
export const GET = apiRoute({ access: "datasets:read", query: searchQuery }, ({ user, query }) =>
  searchDatasets(user, query.q),
);

export * from "@/lib/http/other-methods";
