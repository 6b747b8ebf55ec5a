import { listNotifications, markNotificationsRead } from "@/lib/dal/notifications";
import { listNotificationsQuery, markNotificationsReadBody } from "@/lib/validation/notifications";
import { apiRoute } from "@/lib/http/api-route";

// GET /api/notifications – my inbox, newest first.
export const GET = apiRoute({ access: "signed-in", query: listNotificationsQuery }, ({ user, query }) =>
  listNotifications(user, query),
);

// POST /api/notifications – mark some (or all) of my notifications read.
export const POST = apiRoute({ access: "signed-in", body: markNotificationsReadBody }, ({ user, body }) =>
  markNotificationsRead(user, body),
);

export * from "@/lib/http/other-methods";
