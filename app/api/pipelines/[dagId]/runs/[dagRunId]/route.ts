import { decodeSegment } from "@/components/datasets/load";
import { getDagRun } from "@/lib/dal/pipelines";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/pipelines/:dagId/runs/:dagRunId – a run with its tasks, for clients following it until it ends.
export const GET = apiRoute<never, never, { dagId: string; dagRunId: string }>(
  { access: "pipelines:read" },
  ({ user, params }) => getDagRun(user, decodeSegment(params.dagId), decodeSegment(params.dagRunId)),
);

export * from "@/lib/http/other-methods";
