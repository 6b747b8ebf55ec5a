import { cx } from "@/components/ui/cx";

export interface SparklineProps {
  /** Evenly spaced samples, oldest first; null is a gap. */
  values: Array<number | null>;
  /** Text alternative with the numbers that matter ("p95 latency, last hour: 120 ms rising to 180 ms"). */
  label: string;
  /** Stroke colour class, e.g. "stroke-danger-solid" for an alerting series. */
  strokeClassName?: string;
  /** Size classes; defaults to a table-cell-sized w-24 h-6. */
  className?: string;
}

/**
 * Tiny trend line for tables and stat cards. Plain SVG instead of Recharts: it renders on the server
 * with no JavaScript, and a path needs no axes.
 */
export function Sparkline({ values, label, strokeClassName = "stroke-accent", className }: SparklineProps) {
  const path = sparklinePath(values, 100, 24, 2);
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox="0 0 100 24"
      preserveAspectRatio="none"
      className={cx("h-6 w-24 overflow-visible", className)}
    >
      <path
        d={path}
        fill="none"
        className={strokeClassName}
        strokeWidth="1.5"
        strokeLinejoin="round"
        strokeLinecap="round"
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}

/** SVG path through the samples scaled into width × height (inset by `padding`); gaps start a new segment. */
export function sparklinePath(
  values: Array<number | null>,
  width: number,
  height: number,
  padding: number,
): string {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (finite.length === 0) return "";
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const range = max - min || 1;
  const stepX = values.length > 1 ? width / (values.length - 1) : 0;
  const commands: string[] = [];
  let isPenDown = false;
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      isPenDown = false;
      return;
    }
    const x = values.length > 1 ? index * stepX : width / 2;
    const y = max === min ? height / 2 : padding + (1 - (value - min) / range) * (height - 2 * padding);
    commands.push(`${isPenDown ? "L" : "M"}${round(x)} ${round(y)}`);
    isPenDown = true;
  });
  return commands.join(" ");
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}
