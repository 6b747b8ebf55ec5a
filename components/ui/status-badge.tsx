import { Badge } from "./badge";
import { describeStatus, type StatusDomain, type StatusOf } from "./status";

export type StatusBadgeProps<D extends StatusDomain> = {
  domain: D;
  /** A known value of the domain; unknown strings (new cloud states) render neutral with their own words. */
  status: StatusOf<D> | (string & {});
  size?: "sm" | "md";
  /** Announce changes to screen readers (for a status that updates while the page is open). */
  isLive?: boolean;
  className?: string;
};

/** A status as dot + words (never colour alone), toned by meaning: failed is red in every domain. */
export function StatusBadge<D extends StatusDomain>({
  domain,
  status,
  size,
  isLive = false,
  className,
}: StatusBadgeProps<D>) {
  const { tone, label, isActive } = describeStatus(domain, status);
  const badge = (
    <Badge tone={tone} hasDot isPulsing={isActive} size={size} className={className}>
      {label}
    </Badge>
  );
  if (!isLive) return badge;
  return (
    <span role="status" aria-live="polite" aria-atomic="true" className="inline-flex">
      {badge}
    </span>
  );
}
