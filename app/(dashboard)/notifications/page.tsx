import type { Metadata } from "next";
import Link from "next/link";
import { MarkReadButton } from "@/components/notifications/mark-read-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Tabs } from "@/components/ui/tabs";
import { requirePageUser } from "@/lib/auth/session";
import { countUnreadNotifications, listNotifications } from "@/lib/dal/notifications";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePageUser();
  const unreadOnly = (await searchParams).unread === "true";
  const [items, unread] = await Promise.all([
    listNotifications(user, { limit: 100, unreadOnly }),
    countUnreadNotifications(user),
  ]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Requests waiting for you, decisions on yours, and alerts firing or resolved if you are on call."
        actions={unread ? <MarkReadButton label="Mark all read" /> : undefined}
      />
      <Tabs
        label="Which notifications"
        currentHref={unreadOnly ? "/notifications?unread=true" : "/notifications"}
        items={[
          { label: "All", href: "/notifications" },
          { label: "Unread", href: "/notifications?unread=true", count: unread },
        ]}
      />
      {items.length ? (
        <Card padding="none">
          <ul className="divide-y divide-line" aria-label="Notifications">
            {items.map((n) => (
              <li key={n.id} className="flex items-start justify-between gap-3 px-4 py-3">
                <div className="min-w-0 space-y-0.5">
                  <p className="text-sm font-medium">
                    {!n.readAt && (
                      <Badge tone="info" size="sm">
                        New
                      </Badge>
                    )}{" "}
                    {n.link ? (
                      <Link href={n.link} className="hover:underline">
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                  </p>
                  <p className="text-sm text-fg-muted">{n.body}</p>
                  <p className="text-xs text-fg-subtle">
                    <RelativeTime date={n.createdAt} />
                  </p>
                </div>
                {!n.readAt && <MarkReadButton id={n.id} label="Mark read" />}
              </li>
            ))}
          </ul>
        </Card>
      ) : (
        <EmptyState
          title={unreadOnly ? "Nothing unread" : "No notifications"}
          description="You will be told here when a promotion needs your decision or yours was decided, and, if you are on call, when an alert fires or resolves."
        />
      )}
    </>
  );
}
