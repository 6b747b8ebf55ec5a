import { cx } from "./cx";
import { Spinner } from "./spinner";

/** Placeholder block in the shape of content that is on its way. Decorative. */
export function Skeleton({ className }: { className?: string }) {
  return (
    <span aria-hidden="true" className={cx("block animate-shimmer rounded-md bg-surface-muted", className)} />
  );
}

export interface LoadingStateProps {
  /** What is loading, announced politely ("Loading runs"). */
  label?: string;
  /** Skeleton lines to draw (0 = just the spinner and label). */
  rows?: number;
  className?: string;
}

/** For loading.tsx and Suspense fallbacks: skeleton rows plus a polite status for screen readers. */
export function LoadingState({ label = "Loading", rows = 4, className }: LoadingStateProps) {
  return (
    <div role="status" aria-live="polite" className={cx("space-y-3 p-4", className)}>
      <p className="flex items-center gap-2 text-sm text-fg-muted">
        <Spinner />
        {label}…
      </p>
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton
          key={index}
          className={cx("h-4", index % 3 === 2 ? "w-2/3" : index % 2 ? "w-5/6" : "w-full")}
        />
      ))}
    </div>
  );
}
