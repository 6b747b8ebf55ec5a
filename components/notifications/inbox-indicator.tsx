import Link from "next/link";
import { Inbox } from "lucide-react";
import { cx } from "@/components/ui/cx";

/** Header link to the notification inbox; the unread count is in the link's name. */
export function InboxIndicator({ unread }: { unread: number }) {
  return (
    <Link
      href="/notifications"
      aria-label={unread === 0 ? "Notifications: none unread" : `Notifications: ${unread} unread`}
      className={cx(
        "relative flex h-8 items-center gap-1.5 rounded-md px-2 text-sm font-medium",
        unread > 0 ? "text-accent-text hover:bg-accent-soft" : "text-fg-muted hover:bg-surface-muted hover:text-fg",
      )}
    >
      <Inbox aria-hidden="true" className="size-4" />
      {unread > 0 && (
        <span aria-hidden="true" className="rounded-full bg-accent px-1.5 text-2xs leading-4 font-semibold text-on-solid tabular-nums">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
