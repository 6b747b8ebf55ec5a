import { Inbox } from "lucide-react";
import { HeaderCountLink } from "@/components/layout/header-count-link";

/** Header link to the notification inbox. */
export function InboxIndicator({ unread }: { unread: number }) {
  return (
    <HeaderCountLink
      href="/notifications"
      label={unread === 0 ? "Notifications: none unread" : `Notifications: ${unread} unread`}
      count={unread}
      tone="accent"
      icon={<Inbox aria-hidden="true" className="size-4" />}
    />
  );
}
