import { SignOutButton } from "@/components/auth/sign-out-button";
import { AlertIndicator } from "@/components/layout/alert-indicator";
import { AppShell } from "@/components/layout/app-shell";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { countFiringAlerts } from "@/lib/dal/alerts";
import { navigationFor } from "@/lib/navigation";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const firing = can(user, "monitoring:read") ? await countFiringAlerts(user) : null;
  return (
    <AppShell
      navItems={navigationFor(user)}
      environment={getConfig().SWITCHBOARD_MODE}
      user={{ name: user.name, email: user.email ?? undefined, roles: user.roles }}
      signOutSlot={<SignOutButton />}
      alertSlot={firing === null ? undefined : <AlertIndicator count={firing} href="/monitoring/alerts" />}
    >
      {children}
    </AppShell>
  );
}
