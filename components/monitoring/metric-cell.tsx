import { Sparkline } from "@/components/charts/sparkline";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";

/** "No data" is its own grey badge: never a blank, never a zero, never green. */
export function NoData() {
  return (
    <Badge tone="neutral" size="sm">
      No data
    </Badge>
  );
}

export interface MetricCellProps {
  /** What the value is, for the sparkline's text alternative ("p95 latency"). */
  label: string;
  value: number | null;
  format: (value: number) => string;
  series?: Array<number | null>;
  isBreaching?: boolean;
}

/** A latest value with its last-hour sparkline; red when it breaks its alert rule. */
export function MetricCell({ label, value, format, series, isBreaching = false }: MetricCellProps) {
  if (value === null) return <NoData />;
  const known = series?.filter((v): v is number => v !== null) ?? [];
  return (
    <span className="inline-flex items-center gap-2">
      {series && known.length > 1 && (
        <Sparkline
          values={series}
          label={`${label}, last hour: ${format(known[0])} to ${format(known[known.length - 1])}`}
          strokeClassName={isBreaching ? "stroke-danger-solid" : undefined}
          className="h-5 w-16"
        />
      )}
      <span className={cx("tabular-nums", isBreaching && "font-semibold text-danger")}>{format(value)}</span>
    </span>
  );
}

export const formatLatencyMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
export const formatRate = (perSecond: number) =>
  `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(perSecond >= 1 ? 1 : 2)} req/s`;
export const formatShare = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)} %`;
