import type { NavIconName } from "@/lib/navigation";

export interface NavBadge {
  count: number;
  /** Read after the count by screen readers ("open requests", "firing alerts"). */
  label: string;
  /** "danger" for things that need someone now (firing alerts). */
  tone?: "neutral" | "danger";
}

export interface NavItem {
  href: string;
  label: string;
  icon: NavIconName;
  badge?: NavBadge;
}

/** Home matches only "/"; every other item matches its own path and anything below it. */
export function isNavItemCurrent(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
