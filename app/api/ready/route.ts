import { NextResponse } from "next/server";
import { checkReadiness } from "@/lib/health";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/ready – readiness: database, Redis and a live worker; 503 until all answer.
export const GET = apiRoute({ access: "public" }, async () => {
  const { ready, checks } = await checkReadiness();
  return NextResponse.json({ status: ready ? "ready" : "not-ready", checks }, { status: ready ? 200 : 503 });
});

export * from "@/lib/http/other-methods";
