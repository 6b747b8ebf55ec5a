import { decodeSegment } from "@/components/datasets/load";
import { getModel } from "@/lib/dal/models";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/models/:name – one model with its versions, their lineage and where it is served.
export const GET = apiRoute<never, never, { name: string }>({ access: "models:read" }, ({ user, params }) => getModel(user, decodeSegment(params.name)));
