import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { MobileNav } from "./mobile-nav";
import { NavList } from "./nav-list";
import type { NavItem } from "./nav-items";
import { SwitchboardMark } from "./switchboard-mark";
import { UserMenu, type ShellUser, type SignOutAction } from "./user-menu";

export type ShellEnvironment = "sandbox" | "cloud";

/** A cloud system and whether Switchboard talks to the sandbox's emulation of it or to the real service. */
export interface ShellSystem {
  name: string;
  isSandbox: boolean;
}

export interface AppShellProps {
  /** Items this user may see, in order (filter `navItems` by role on the server). */
  navItems: NavItem[];
  environment: ShellEnvironment;
  /** When given, a sandbox that mixes in real services says which ones. */
  systems?: ShellSystem[];
  user: ShellUser;
  /** Sign out, in order of preference: your own control, a server action, or a link (default /api/auth/signout). */
  signOutSlot?: ReactNode;
  signOutAction?: SignOutAction;
  signOutHref?: string;
  /** Header slot before the user menu, e.g. <AlertIndicator count={firing} />. */
  alertSlot?: ReactNode;
  children: ReactNode;
}

const PRODUCT_NAME = "Switchboard";

/** Page chrome: skip link, header (product, environment, alerts, user), side navigation, main landmark. */
/** "Sandbox", "Cloud", or "Sandbox + real MLflow" when some systems are real services. */
function EnvironmentBadge({
  environment,
  systems = [],
}: {
  environment: ShellEnvironment;
  systems?: ShellSystem[];
}) {
  const real = systems.filter((s) => !s.isSandbox).map((s) => s.name);
  const isMixed = environment === "sandbox" && real.length > 0;
  const label = environment === "cloud" ? "Cloud" : isMixed ? `Sandbox + real ${real.join(", ")}` : "Sandbox";
  const details = systems.map((s) => `${s.name}: ${s.isSandbox ? "sandbox" : "real service"}`).join(" · ");
  return (
    <span title={details || undefined} className="flex min-w-0">
      <Badge tone={environment === "cloud" ? "info" : "warning"} size="sm" hasDot>
        <span className="sr-only">Environment: </span>
        {label}
        {details && <span className="sr-only"> ({details})</span>}
      </Badge>
    </span>
  );
}

export function AppShell({
  navItems,
  environment,
  systems,
  user,
  signOutSlot,
  signOutAction,
  signOutHref,
  alertSlot,
  children,
}: AppShellProps) {
  return (
    <div className="min-h-dvh bg-canvas">
      <a
        href="#main-content"
        className="sr-only z-50 rounded-md bg-accent text-sm font-medium text-on-solid shadow-overlay focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:px-3! focus:py-2!"
      >
        Skip to main content
      </a>
      <header className="sticky top-0 z-30 flex h-12 items-center gap-2 border-b border-line bg-surface/95 px-3 backdrop-blur supports-[backdrop-filter]:bg-surface/85 lg:px-4">
        <MobileNav items={navItems} productName={PRODUCT_NAME} />
        <Link href="/" className="flex items-center gap-2 rounded-md px-1 py-1 text-sm font-semibold text-fg">
          <SwitchboardMark className="size-6" />
          {PRODUCT_NAME}
        </Link>
        <EnvironmentBadge environment={environment} systems={systems} />
        <div className="ml-auto flex items-center gap-1">
          {alertSlot}
          <UserMenu
            user={user}
            signOutSlot={signOutSlot}
            signOutAction={signOutAction}
            signOutHref={signOutHref}
          />
        </div>
      </header>
      <div className="lg:grid lg:grid-cols-[14rem_minmax(0,1fr)]">
        <aside className="hidden lg:block">
          <nav
            aria-label="Main"
            className="sticky top-12 h-[calc(100dvh-3rem)] overflow-y-auto border-r border-line px-3 py-4"
          >
            <NavList items={navItems} />
          </nav>
        </aside>
        <main id="main-content" tabIndex={-1} className="min-w-0 px-4 py-6 outline-none sm:px-6 lg:px-8">
          <div className="mx-auto max-w-[1400px]">{children}</div>
        </main>
      </div>
    </div>
  );
}
