import type { z } from "zod";
import { getServicePage } from "@/lib/dal/monitoring";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/monitoring/services/:namespace/:service – status, rollouts, alerts and silences, polled by the service page.
export const GET = apiRoute<z.ZodUndefined, z.ZodUndefined, { namespace: string; service: string }>({ access: "monitoring:read" }, ({ user, params }) => getServicePage(user, params.namespace, params.service));
