import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";

export interface HomeListItem {
  key: string;
  href: string;
  /** The link text: what the item is ("churn-classifier v7 → Production"). */
  title: string;
  /** Badges to the right (status, gates). */
  badges?: ReactNode;
  /** One short line under the title: who, when, why. */
  meta?: ReactNode;
}

/** A home section's items, each one link to its page; an empty list says so in words. */
export function HomeList({
  items,
  label,
  emptyTitle,
  emptyText,
}: {
  items: HomeListItem[];
  label: string;
  emptyTitle: string;
  emptyText?: string;
}) {
  if (!items.length) return <EmptyState size="compact" title={emptyTitle} description={emptyText} />;
  return (
    <ul aria-label={label} className="divide-y divide-line">
      {items.map((item) => (
        <li
          key={item.key}
          className="relative flex flex-wrap items-center justify-between gap-x-3 gap-y-1 px-4 py-2.5 hover:bg-surface-muted"
        >
          <div className="min-w-0">
            {/* The link's box covers the row, so the whole row is one click and one tab stop. */}
            <Link
              href={item.href}
              className="font-medium text-fg after:absolute after:inset-0 hover:underline"
            >
              {item.title}
            </Link>
            {item.meta && <div className="text-xs text-fg-muted">{item.meta}</div>}
          </div>
          {item.badges && <div className="flex shrink-0 items-center gap-1.5">{item.badges}</div>}
        </li>
      ))}
    </ul>
  );
}
