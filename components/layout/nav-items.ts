/**
 * The main navigation, in display order. Icons are named, not components, because the shell's nav is a
 * client component and props crossing from a server layout must be serialisable.
 */
export type NavIconName = "home" | "datasets" | "runs" | "pipelines" | "experiments" | "models" | "approvals" | "monitoring" | "audit" | "admin";

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
