import { SignOutButton } from "@/components/auth/sign-out-button";
import { AlertIndicator } from "@/components/layout/alert-indicator";
import { AppShell } from "@/components/layout/app-shell";
import { InboxIndicator } from "@/components/notifications/inbox-indicator";
import { TimeZoneProvider } from "@/components/ui/date-time";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { describeSystems } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { countFiringAlerts } from "@/lib/dal/alerts";
import { countUnreadNotifications } from "@/lib/dal/notifications";
import { navigationFor } from "@/lib/navigation";
import { getTimeZone } from "@/lib/time-zone";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const [firing, unread, timeZone] = await Promise.all([
    can(user, "monitoring:read") ? countFiringAlerts(user) : null,
    countUnreadNotifications(user),
    getTimeZone(),
  ]);
  return (
    <AppShell
      navItems={navigationFor(user)}
      environment={getConfig().SWITCHBOARD_MODE}
      systems={describeSystems(getConfig())}
      user={{ name: user.name, email: user.email ?? undefined, roles: user.roles }}
      signOutSlot={<SignOutButton />}
      alertSlot={
        <>
          <InboxIndicator unread={unread} />
          {firing === null ? null : <AlertIndicator count={firing} href="/monitoring/alerts" />}
        </>
      }
    >
      <TimeZoneProvider timeZone={timeZone}>{children}</TimeZoneProvider>
    </AppShell>
  );
}
