import Link from "next/link";
import { cx } from "./cx";
import { CountBadge } from "./badge";

export interface TabItem {
  href: string;
  label: string;
  count?: number;
}

export interface TabsProps {
  /** Names the navigation landmark ("Run sections"). */
  label: string;
  items: TabItem[];
  /** The href of the tab for the current page (the page knows its own route). */
  currentHref: string;
  className?: string;
}

/**
 * Link-based tabs: each tab is its own URL (shareable, back-button friendly, server-rendered).
 * They navigate, so they are a nav with aria-current rather than an ARIA tablist.
 */
export function Tabs({ label, items, currentHref, className }: TabsProps) {
  return (
    <nav aria-label={label} className={cx("mb-5 border-b border-line", className)}>
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {items.map((item) => {
          const isCurrent = item.href === currentHref;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={isCurrent ? "page" : undefined}
                className={cx(
                  "flex h-9 items-center gap-2 border-b-2 px-3 text-sm font-medium whitespace-nowrap transition-colors",
                  isCurrent
                    ? "border-accent text-fg"
                    : "border-transparent text-fg-muted hover:border-line-strong hover:text-fg",
                )}
              >
                {item.label}
                {item.count !== undefined && <CountBadge count={item.count} />}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
