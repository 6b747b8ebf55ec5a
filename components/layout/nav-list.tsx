"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { CountBadge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { NavIcon } from "./nav-icon";
import { isNavItemCurrent, type NavItem } from "./nav-items";

/** The list of navigation links; the current section gets aria-current="page". */
export function NavList({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {items.map((item) => {
        const isCurrent = isNavItemCurrent(item.href, pathname);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={isCurrent ? "page" : undefined}
              onClick={onNavigate}
              className={cx(
                "group flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium transition-colors",
                isCurrent
                  ? "bg-accent-soft text-accent-text"
                  : "text-fg-muted hover:bg-surface-muted hover:text-fg",
              )}
            >
              <NavIcon
                name={item.icon}
                className={cx(
                  "size-4 shrink-0",
                  isCurrent ? "text-accent-text" : "text-fg-subtle group-hover:text-fg-muted",
                )}
              />
              <span className="flex-1 truncate">{item.label}</span>
              {item.badge && item.badge.count > 0 && (
                <CountBadge
                  count={item.badge.count}
                  tone={item.badge.tone === "danger" ? "danger" : "neutral"}
                  label={item.badge.label}
                />
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
