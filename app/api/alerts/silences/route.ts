import { createSilence } from "@/lib/dal/alerts";
import { apiRoute } from "@/lib/http/api-route";
import { silenceInput } from "@/lib/validation/alerts";

// POST /api/alerts/silences – {namespace, serviceName, durationMinutes, reason}: no new alerts for the service until it ends (OnCall).
export const POST = apiRoute({ access: "alerts:acknowledge", body: silenceInput }, async ({ user, body }) =>
  Response.json({ silence: await createSilence(user, body) }, { status: 201 }),
);

export * from "@/lib/http/other-methods";
