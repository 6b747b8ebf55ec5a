import { apiRoute } from "@/lib/http/api-route";
import { handleIngestRequest } from "@/lib/ingest/handle-request";
import { getIngestContext } from "@/lib/ingest/runtime";

// POST /api/ingest/kserve – KServe payload-logger CloudEvents (bearer shared secret), aggregated into drift windows.
// The fallback path: loggers should post to the ingest process (scripts/ingest.ts), which serves the same contract ~15× cheaper.
export const POST = apiRoute({ access: "public" }, ({ request }) =>
  handleIngestRequest(request, getIngestContext()),
);

export * from "@/lib/http/other-methods";
