import "server-only";
import type { CurrentUser } from "@/lib/auth/session";
import { getDb, type Prisma } from "@/lib/db/client";
import { type ListNotificationsQuery, type MarkNotificationsReadBody } from "@/lib/validation/notifications";

export interface NotificationInput {
  title: string;
  body: string;
  link?: string;
}

/** Inside the transaction that made the change, so nobody is told about something that rolled back. */
export async function notifyUsers(
  tx: Prisma.TransactionClient,
  userIds: string[],
  notification: NotificationInput,
) {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  await tx.notification.createMany({
    data: unique.map((userId) => ({
      userId,
      title: notification.title,
      body: notification.body,
      link: notification.link ?? null,
    })),
  });
}

/** A person's own inbox, newest first: the scope is the where clause, so nobody reads another's. */
export async function listNotifications(user: CurrentUser, query: ListNotificationsQuery) {
  const rows = await getDb().notification.findMany({
    where: { userId: user.id, readAt: query.unreadOnly ? null : undefined },
    orderBy: { createdAt: "desc" },
    take: query.limit,
    select: { id: true, title: true, body: true, link: true, readAt: true, createdAt: true },
  });
  return rows.map((n) => ({
    ...n,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  }));
}
export type NotificationDto = Awaited<ReturnType<typeof listNotifications>>[number];

export function countUnreadNotifications(user: CurrentUser): Promise<number> {
  return getDb().notification.count({ where: { userId: user.id, readAt: null } });
}

export async function markNotificationsRead(user: CurrentUser, body: MarkNotificationsReadBody) {
  const { count } = await getDb().notification.updateMany({
    where: { userId: user.id, readAt: null, id: "ids" in body ? { in: body.ids } : undefined },
    data: { readAt: new Date() },
  });
  return { marked: count, unread: await countUnreadNotifications(user) };
}
