import type { ReactNode } from "react";
import { cx } from "./cx";
import { toneBadgeClass, toneDotClass, type Tone } from "./tone";

export interface BadgeProps {
  tone?: Tone;
  children: ReactNode;
  /** Leading dot in the tone's colour; the text still carries the meaning. */
  hasDot?: boolean;
  /** Pulse the dot (still-moving states); stops under prefers-reduced-motion. */
  isPulsing?: boolean;
  size?: "sm" | "md";
  className?: string;
}

export function Badge({
  tone = "neutral",
  children,
  hasDot = false,
  isPulsing = false,
  size = "md",
  className,
}: BadgeProps) {
  return (
    <span
      className={cx(
        "inline-flex max-w-full items-center gap-1.5 rounded-full border font-medium whitespace-nowrap",
        size === "sm" ? "h-5 px-1.5 text-2xs" : "h-6 px-2 text-xs",
        toneBadgeClass[tone],
        className,
      )}
    >
      {hasDot && (
        <span
          aria-hidden="true"
          className={cx(
            "size-1.5 shrink-0 rounded-full",
            toneDotClass[tone],
            isPulsing && "animate-pulse-dot",
          )}
        />
      )}
      <span className="truncate">{children}</span>
    </span>
  );
}

/** Small numeric pill for counts in navigation and tabs. */
export function CountBadge({
  count,
  tone = "neutral",
  label,
}: {
  count: number;
  tone?: Tone;
  label?: string;
}) {
  return (
    <span
      className={cx(
        "inline-flex h-5 min-w-5 items-center justify-center rounded-full border px-1.5 text-2xs font-semibold tabular-nums",
        toneBadgeClass[tone],
      )}
    >
      {count > 99 ? "99+" : count}
      {label && <span className="sr-only"> {label}</span>}
    </span>
  );
}
