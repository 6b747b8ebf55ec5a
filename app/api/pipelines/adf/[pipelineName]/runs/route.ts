import { NextResponse } from "next/server";
import { triggerAdfPipelineRun } from "@/lib/dal/pipelines";
import { apiRoute } from "@/lib/http/api-route";
import { triggerAdfRunBody } from "@/lib/validation/pipelines";

// POST /api/pipelines/adf/:pipelineName/runs – ask for a Data Factory run with parameters; a worker creates it.
export const POST = apiRoute<never, typeof triggerAdfRunBody, { pipelineName: string }>(
  { access: "pipelines:trigger", body: triggerAdfRunBody },
  async ({ user, params, body }) =>
    NextResponse.json(await triggerAdfPipelineRun(user, params.pipelineName, body), { status: 202 }),
);

export * from "@/lib/http/other-methods";
