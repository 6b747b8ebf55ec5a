import { TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { Button, ButtonLink } from "./button";
import { cx } from "./cx";

export interface ErrorStateProps {
  title?: string;
  /** Must be safe to show: an AppError's public message, never a stack or upstream body. */
  message: ReactNode;
  /** Retry by navigating (reload the route, e.g. the current path). */
  retryHref?: string;
  /** Retry in place (e.g. the `retry` of an error.tsx boundary; client trees only). */
  onRetry?: () => void;
  retryLabel?: string;
  /** Extra actions, e.g. a link to the run in Databricks. */
  actions?: ReactNode;
  /** Support reference (request id, error digest) shown small and selectable. */
  reference?: string;
  className?: string;
}

/** Something failed to load. Announced to screen readers when it appears. */
export function ErrorState({
  title = "Something went wrong",
  message,
  retryHref,
  onRetry,
  retryLabel = "Try again",
  actions,
  reference,
  className,
}: ErrorStateProps) {
  return (
    <div role="alert" className={cx("flex flex-col items-center gap-2 px-6 py-12 text-center", className)}>
      <div
        aria-hidden="true"
        className="mb-1 flex size-10 items-center justify-center rounded-full bg-danger-soft text-danger"
      >
        <TriangleAlert className="size-5" />
      </div>
      <p className="text-sm font-semibold text-fg">{title}</p>
      <div className="max-w-md text-sm text-fg-muted">{message}</div>
      {reference && (
        <p className="text-xs text-fg-subtle">
          Reference <code className="select-all">{reference}</code>
        </p>
      )}
      {(retryHref || onRetry || actions) && (
        <div className="mt-3 flex flex-wrap items-center justify-center gap-2">
          {onRetry && <Button onClick={onRetry}>{retryLabel}</Button>}
          {!onRetry && retryHref && <ButtonLink href={retryHref}>{retryLabel}</ButtonLink>}
          {actions}
        </div>
      )}
    </div>
  );
}
