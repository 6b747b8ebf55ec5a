import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { areas } from "@/lib/navigation";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const visible = areas.filter((area) => can(user, area.permission));
  const environment = getConfig().SWITCHBOARD_MODE === "sandbox" ? "Sandbox" : "Cloud";
  return (
    <div className="min-h-screen bg-canvas">
      <a href="#main" className="sr-only focus:not-sr-only">Skip to content</a>
      <header className="flex items-center justify-between border-b border-line bg-surface px-6 py-3">
        <Link href="/" className="font-semibold">Switchboard <span className="text-xs text-fg-muted">{environment}</span></Link>
        <div className="flex items-center gap-3 text-sm">
          <span>{user.name} · {user.roles.join(", ")}</span>
          <SignOutButton />
        </div>
      </header>
      <div className="flex">
        <nav aria-label="Main" className="w-52 border-r border-line bg-surface p-4">
          <ul className="space-y-1">
            <li><Link href="/">Home</Link></li>
            {visible.map((area) => (
              <li key={area.href}><Link href={area.href}>{area.label}</Link></li>
            ))}
          </ul>
        </nav>
        <main id="main" className="flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
