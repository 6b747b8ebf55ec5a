import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { can, type Role } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { areas } from "@/lib/navigation";

export const metadata: Metadata = { title: "Home" };

/** What each role comes here to do first, so the home page leads with it. */
const focusByRole: Record<Role, { title: string; text: string; href: string }> = {
  DataScientist: { title: "Your training work", text: "Launch a run on a catalog table, watch it live and compare it with earlier runs.", href: "/runs" },
  ModelRiskOfficer: { title: "Decisions waiting for you", text: "Review promotion requests with their evidence and gate results, oldest first.", href: "/approvals" },
  OnCall: { title: "Service health", text: "Latency, errors and drift of every KServe service; firing alerts and rollbacks.", href: "/monitoring" },
  Admin: { title: "Platform administration", text: "Model policies, alert rules and the audit trail.", href: "/admin" },
};

export default async function HomePage() {
  const user = await requirePageUser();
  const visible = areas.filter((area) => can(user, area.permission));
  const focus = user.roles.map((role) => focusByRole[role]);
  return (
    <>
      <PageHeader title={`Good to see you, ${user.name.split(" ")[0]}`} description={`Signed in as ${user.roles.join(" and ") || "a person with no Switchboard role"}.`} />
      {focus.length ? (
        <section aria-labelledby="focus" className="mt-6">
          <h2 id="focus" className="sr-only">Start here</h2>
          <ul className="grid gap-4 md:grid-cols-2">
            {focus.map((item) => (
              <li key={item.href}>
                <Link href={item.href} className="block rounded-xl border border-accent-line bg-accent-soft p-5 hover:border-accent focus-visible:outline-2">
                  <span className="text-base font-semibold text-fg">{item.title}</span>
                  <span className="mt-1 block text-sm text-fg-muted">{item.text}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p role="alert" className="mt-6 text-sm">
          Your account has no Switchboard app role. Ask an Entra administrator to assign DataScientist, ModelRiskOfficer, OnCall or Admin.
        </p>
      )}
      <section aria-labelledby="areas" className="mt-8">
        <h2 id="areas" className="text-sm font-semibold text-fg-muted">Your areas</h2>
        <ul className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {visible.map((area) => (
            <li key={area.href}>
              <Link href={area.href} className="block h-full rounded-lg border border-line bg-surface p-4 hover:border-line-strong">
                <span className="font-medium text-fg">{area.label}</span>
                <span className="mt-1 block text-sm text-fg-muted">{area.summary}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
