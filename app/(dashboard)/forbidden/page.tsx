import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { permissionRoles, type Permission } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Not allowed" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const user = await requirePageUser();
  const { need } = await searchParams;
  const roles = need && need in permissionRoles ? permissionRoles[need as Permission] : null;
  return (
    // Inside the dashboard layout, so the navigation stays: the person can go somewhere they may.
    <div className="mx-auto max-w-lg py-10">
      <h1 className="text-2xl font-semibold text-fg">You can&apos;t open that page</h1>
      <p className="mt-3 text-fg-muted">
        Your roles ({user.roles.join(", ") || "none"}) do not include access to it.
        {roles ? ` It needs one of: ${roles.join(", ")}.` : ""} Ask an Entra administrator for the role if you
        need it.
      </p>
      <div className="mt-6">
        <ButtonLink href="/">Back to your home page</ButtonLink>
      </div>
    </div>
  );
}
