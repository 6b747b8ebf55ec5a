import { useId } from "react";
import { cx } from "./cx";
import type { Tone } from "./tone";

const fillClass: Record<Tone, string> = {
  neutral: "fill-neutral-solid",
  info: "fill-info-solid",
  progress: "fill-accent",
  success: "fill-success-solid",
  warning: "fill-warning-solid",
  danger: "fill-danger-solid",
};

export interface ProgressBarProps {
  /** Visible label; also the progressbar's accessible name. */
  label: string;
  /** Omit (or null) while the total is unknown: renders indeterminate. */
  value?: number | null;
  max?: number;
  /** Human wording of the value ("Step 3 of 5: evaluating"); defaults to a percentage. */
  valueText?: string;
  tone?: Tone;
  isLabelHidden?: boolean;
  className?: string;
}

/** An ARIA progressbar. The fill is an SVG rect sized by attribute, so no inline style (strict CSP). */
export function ProgressBar({
  label,
  value,
  max = 100,
  valueText,
  tone = "progress",
  isLabelHidden = false,
  className,
}: ProgressBarProps) {
  const labelId = useId();
  const isIndeterminate = value === null || value === undefined;
  const fraction = isIndeterminate || max <= 0 ? 0 : Math.min(1, Math.max(0, value / max));
  const text = valueText ?? (isIndeterminate ? "In progress" : `${Math.round(fraction * 100)}%`);
  return (
    <div className={cx("min-w-0 space-y-1.5", className)}>
      <div className={cx("flex items-baseline justify-between gap-3 text-xs", isLabelHidden && "sr-only")}>
        <span id={labelId} className="font-medium text-fg">
          {label}
        </span>
        <span aria-hidden="true" className="text-fg-muted tabular-nums">
          {text}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={isIndeterminate ? undefined : 0}
        aria-valuemax={isIndeterminate ? undefined : max}
        aria-valuenow={isIndeterminate ? undefined : Math.min(max, Math.max(0, value))}
        aria-valuetext={text}
        className="h-1.5 overflow-hidden rounded-full bg-surface-muted ring-1 ring-line ring-inset"
      >
        <svg aria-hidden="true" className="block size-full" preserveAspectRatio="none">
          {isIndeterminate ? (
            <rect x="0" width="35%" height="100%" rx="3" className={cx(fillClass[tone], "animate-shimmer")} />
          ) : (
            <rect width={`${fraction * 100}%`} height="100%" rx="3" className={fillClass[tone]} />
          )}
        </svg>
      </div>
    </div>
  );
}
