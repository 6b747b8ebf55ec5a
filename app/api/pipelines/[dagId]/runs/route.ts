import { NextResponse } from "next/server";
import { triggerDagRun } from "@/lib/dal/pipelines";
import { apiRoute } from "@/lib/http/api-route";
import { triggerDagRunBody } from "@/lib/validation/pipelines";

// POST /api/pipelines/:dagId/runs – ask for a DAG run with a conf; a worker triggers it in Airflow.
export const POST = apiRoute<never, typeof triggerDagRunBody, { dagId: string }>(
  { access: "pipelines:trigger", body: triggerDagRunBody },
  async ({ user, params, body }) =>
    NextResponse.json(await triggerDagRun(user, params.dagId, body), { status: 202 }),
);

export * from "@/lib/http/other-methods";
