import { endSilence } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { silenceIdParams } from "@/lib/validation/alerts";

// DELETE /api/alerts/silences/:id – ends a silence now; alerts resume at the next evaluation (OnCall).
export const DELETE = apiRoute(
  { access: "alerts:acknowledge", params: silenceIdParams },
  async ({ user, params }) => ({ silence: await endSilence(user, params.id) }),
);

export * from "@/lib/http/other-methods";
