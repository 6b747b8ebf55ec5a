import Link from "next/link";
import { Bell } from "lucide-react";
import { cx } from "@/components/ui/cx";

/** Header bell linking to alerts; the count is in the link's name, not only in a red dot. */
export function AlertIndicator({ count, href = "/monitoring" }: { count: number; href?: string }) {
  const name = count === 0 ? "Alerts: none firing" : `Alerts: ${count} firing`;
  return (
    <Link
      href={href}
      aria-label={name}
      className={cx(
        "relative flex h-8 items-center gap-1.5 rounded-md px-2 text-sm font-medium",
        count > 0 ? "text-danger hover:bg-danger-soft" : "text-fg-muted hover:bg-surface-muted hover:text-fg",
      )}
    >
      <Bell aria-hidden="true" className="size-4" />
      {count > 0 && (
        <span aria-hidden="true" className="rounded-full bg-danger-solid px-1.5 text-2xs leading-4 font-semibold text-on-solid tabular-nums">
          {count > 99 ? "99+" : count}
        </span>
      )}
    </Link>
  );
}
