import { getRunComparison } from "@/lib/dal/experiments";
import { compareQuery } from "@/lib/validation/experiments";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/experiments/compare?runs=<id>,<id>&metrics=a,b&x=step|time – a run comparison from the metric cache; poll while `pending` is not empty.
export const GET = apiRoute({ access: "experiments:read", query: compareQuery }, ({ user, query }) =>
  getRunComparison(user, query),
);

export * from "@/lib/http/other-methods";
