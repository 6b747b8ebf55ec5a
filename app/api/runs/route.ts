import { launchRun, listRuns } from "@/lib/dal/runs";
import { listRunsQuery } from "@/lib/validation/runs";
import { launchRunInput } from "@/lib/validation/runs";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/runs – training runs, newest first, keyset-paged.
export const GET = apiRoute({ access: "runs:read", query: listRunsQuery }, ({ user, query }) =>
  listRuns(user, query),
);

// POST /api/runs – launch a run: the record is saved (QUEUED) before the submit job is enqueued.
export const POST = apiRoute({ access: "runs:launch", body: launchRunInput }, ({ user, body }) =>
  launchRun(user, body),
);

export * from "@/lib/http/other-methods";
