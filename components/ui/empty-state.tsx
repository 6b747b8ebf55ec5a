import { Inbox } from "lucide-react";
import type { ReactNode } from "react";
import { cx } from "./cx";

export interface EmptyStateProps {
  title: string;
  /** What to do next ("Launch a run to see it here."). */
  description?: ReactNode;
  /** Decorative icon; defaults to an empty tray. */
  icon?: ReactNode;
  action?: ReactNode;
  /** "compact" fits inside a table body or small card. */
  size?: "compact" | "default";
  className?: string;
}

export function EmptyState({
  title,
  description,
  icon,
  action,
  size = "default",
  className,
}: EmptyStateProps) {
  return (
    <div
      className={cx(
        "flex flex-col items-center justify-center text-center",
        size === "compact" ? "gap-1.5 px-4 py-8" : "gap-2 px-6 py-14",
        className,
      )}
    >
      <div
        aria-hidden="true"
        className="mb-1 flex size-10 items-center justify-center rounded-full bg-surface-muted text-fg-subtle [&_svg]:size-5"
      >
        {icon ?? <Inbox />}
      </div>
      <p className="text-sm font-semibold text-fg">{title}</p>
      {description && <div className="max-w-sm text-sm text-fg-muted">{description}</div>}
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}
