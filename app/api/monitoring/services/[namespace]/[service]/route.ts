import type { z } from "zod";
import { listAlerts, listActiveSilences } from "@/lib/dal/alerts";
import { getServiceDetail } from "@/lib/dal/monitoring";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/monitoring/services/:namespace/:service – status, rollouts, alerts and silences, polled by the service page.
export const GET = apiRoute<z.ZodUndefined, z.ZodUndefined, { namespace: string; service: string }>({ access: "monitoring:read" }, async ({ user, params }) => {
  const [detail, alerts, silences] = await Promise.all([
    getServiceDetail(user, params.namespace, params.service),
    listAlerts(user, { state: "all", namespace: params.namespace, service: params.service, limit: 20 }),
    listActiveSilences(user, params.namespace, params.service),
  ]);
  return { ...detail, alerts, silences };
});
