import type { z } from "zod";
import { deleteAlertRule } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";

// DELETE /api/alerts/rules/:id – removes a rule and its alerts; the audit trail keeps it (alerts:configure).
export const DELETE = apiRoute<z.ZodUndefined, z.ZodUndefined, { id: string }>({ access: "alerts:configure" }, ({ user, params }) => deleteAlertRule(user, params.id));
