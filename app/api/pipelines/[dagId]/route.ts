import { setPaused } from "@/lib/dal/pipelines";
import { apiRoute } from "@/lib/http/api-route";
import { setPausedBody } from "@/lib/validation/pipelines";

// PATCH /api/pipelines/:dagId – pause or unpause a DAG (admins), audited.
export const PATCH = apiRoute<never, typeof setPausedBody, { dagId: string }>(
  { access: "pipelines:pause", body: setPausedBody },
  ({ user, params, body }) => setPaused(user, params.dagId, body.isPaused),
);

export * from "@/lib/http/other-methods";
