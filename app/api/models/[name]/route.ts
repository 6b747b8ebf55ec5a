import { getModel } from "@/lib/dal/models";
import { apiRoute } from "@/lib/http/api-route";
import { modelParams } from "@/lib/validation/models";

// GET /api/models/:name – one model with its versions, their lineage and where it is served.
export const GET = apiRoute({ access: "models:read", params: modelParams }, ({ user, params }) =>
  getModel(user, params.name),
);

export * from "@/lib/http/other-methods";
