import type { ReactNode } from "react";
import { cx } from "./cx";

/** Inline identifier or snippet: run ids, metric keys, PromQL. */
export function Code({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <code
      className={cx(
        "rounded-sm border border-line bg-surface-muted px-1 py-px font-mono text-[0.8125em] text-fg break-all",
        className,
      )}
    >
      {children}
    </code>
  );
}

/** Monospace text without a box, for ids in tables and key-value lists. */
export function Mono({ children, className }: { children: ReactNode; className?: string }) {
  return <span className={cx("font-mono text-xs", className)}>{children}</span>;
}

/** Multi-line code or log output; scrolls horizontally instead of wrapping. Focusable so it can scroll by keyboard. */
export function CodeBlock({
  children,
  label,
  className,
}: {
  children: ReactNode;
  label: string;
  className?: string;
}) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className={cx(
        "max-h-96 overflow-auto rounded-md border border-line bg-surface-muted p-3 font-mono text-xs leading-5 text-fg",
        className,
      )}
    >
      <code>{children}</code>
    </pre>
  );
}
