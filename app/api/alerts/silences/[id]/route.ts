import type { z } from "zod";
import { endSilence } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";

// DELETE /api/alerts/silences/:id – ends a silence now; alerts resume at the next evaluation (OnCall).
export const DELETE = apiRoute<z.ZodUndefined, z.ZodUndefined, { id: string }>({ access: "alerts:acknowledge" }, async ({ user, params }) => ({ silence: await endSilence(user, params.id) }));
