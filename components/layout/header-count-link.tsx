import Link from "next/link";
import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";

/** A header icon link with a count; the count is in the link's name, not only in the badge. */
export function HeaderCountLink({
  href,
  label,
  count,
  icon,
  tone,
}: {
  href: string;
  label: string;
  count: number;
  icon: ReactNode;
  tone: "danger" | "accent";
}) {
  const isActive = count > 0;
  return (
    <Link
      href={href}
      aria-label={label}
      className={cx(
        "relative flex h-8 items-center gap-1.5 rounded-md px-2 text-sm font-medium",
        !isActive && "text-fg-muted hover:bg-surface-muted hover:text-fg",
        isActive && tone === "danger" && "text-danger hover:bg-danger-soft",
        isActive && tone === "accent" && "text-accent-text hover:bg-accent-soft",
      )}
    >
      {icon}
      {isActive && (
        <span
          aria-hidden="true"
          className={cx(
            "rounded-full px-1.5 text-2xs leading-4 font-semibold text-on-solid tabular-nums",
            tone === "danger" ? "bg-danger-solid" : "bg-accent",
          )}
        >
          {count > 99 ? "99+" : count}
        </span>
      )}
    </Link>
  );
}
