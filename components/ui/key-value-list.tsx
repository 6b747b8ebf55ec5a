import type { ReactNode } from "react";
import { cx } from "./cx";

export interface KeyValueItem {
  label: string;
  value: ReactNode;
  /** Identifiers, hashes, URIs: monospace and breakable anywhere. */
  isMono?: boolean;
}

export interface KeyValueListProps {
  items: KeyValueItem[];
  /** Side-by-side label/value rows (default) or label above value in a grid of columns. */
  layout?: "rows" | "grid";
  className?: string;
}

/** Facts about one thing (a run, a model version) as a definition list. */
export function KeyValueList({ items, layout = "rows", className }: KeyValueListProps) {
  if (layout === "grid") {
    return (
      <dl className={cx("grid grid-cols-[repeat(auto-fill,minmax(12rem,1fr))] gap-x-6 gap-y-4", className)}>
        {items.map((item) => (
          <div key={item.label} className="min-w-0">
            <dt className="text-xs font-medium text-fg-muted">{item.label}</dt>
            <dd className={cx("mt-0.5 text-sm text-fg", item.isMono && "font-mono text-xs break-all")}>
              {item.value}
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <dl className={cx("divide-y divide-line", className)}>
      {items.map((item) => (
        <div
          key={item.label}
          className="grid grid-cols-1 gap-1 py-2 first:pt-0 last:pb-0 sm:grid-cols-[minmax(8rem,30%)_1fr] sm:gap-4"
        >
          <dt className="text-xs font-medium text-fg-muted sm:pt-0.5">{item.label}</dt>
          <dd
            className={cx("min-w-0 text-sm text-fg", item.isMono && "font-mono text-xs break-all sm:pt-0.5")}
          >
            {item.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
