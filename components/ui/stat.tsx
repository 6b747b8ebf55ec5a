import { ArrowDownRight, ArrowRight, ArrowUpRight } from "lucide-react";
import type { ReactNode } from "react";
import { cx } from "./cx";
import { toneTextClass } from "./tone";

export interface StatDelta {
  /** Already formatted change, e.g. "+1.2 pp" or "−8 ms". */
  label: string;
  direction: "up" | "down" | "flat";
  /** Whether this direction is good news (lower latency is good): picks green or red. */
  sentiment?: "positive" | "negative" | "neutral";
  /** What the delta is compared with ("vs last 24 h"). */
  context?: string;
}

export interface StatProps {
  label: string;
  /** Already formatted value (use components/ui/format). */
  value: ReactNode;
  unit?: string;
  delta?: StatDelta;
  hint?: ReactNode;
  className?: string;
}

const directionIcon = { up: ArrowUpRight, down: ArrowDownRight, flat: ArrowRight } as const;
const directionWord = { up: "Up", down: "Down", flat: "Unchanged" } as const;

/** One key number. Lay several out with StatGrid. */
export function Stat({ label, value, unit, delta, hint, className }: StatProps) {
  const DeltaIcon = delta ? directionIcon[delta.direction] : null;
  const deltaTone =
    delta?.sentiment === "positive" ? "success" : delta?.sentiment === "negative" ? "danger" : "neutral";
  return (
    <div className={cx("min-w-0 rounded-lg border border-line bg-surface px-4 py-3 shadow-card", className)}>
      <dt className="truncate text-xs font-medium text-fg-muted">{label}</dt>
      <dd className="mt-1 flex items-baseline gap-1">
        <span className="text-2xl font-semibold tracking-tight text-fg tabular-nums">{value}</span>
        {unit && <span className="text-sm text-fg-muted">{unit}</span>}
      </dd>
      {delta && DeltaIcon && (
        <dd className={cx("mt-1 flex items-center gap-1 text-xs font-medium", toneTextClass[deltaTone])}>
          <DeltaIcon aria-hidden="true" className="size-3.5" />
          <span className="sr-only">{directionWord[delta.direction]} </span>
          <span className="tabular-nums">{delta.label}</span>
          {delta.context && <span className="font-normal text-fg-subtle">{delta.context}</span>}
        </dd>
      )}
      {hint && <dd className="mt-1 text-xs text-fg-subtle">{hint}</dd>}
    </div>
  );
}

/** A definition list of Stats in a responsive grid (each Stat is a dt/dd group). */
export function StatGrid({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <dl className={cx("grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-3", className)}>
      {children}
    </dl>
  );
}
