import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { buildAuthOptions } from "./options";
import { can, type Permission, type Role } from "./permissions";

export interface CurrentUser {
  id: string;
  oid: string;
  name: string;
  email: string | null;
  roles: Role[];
}

let authOptions: ReturnType<typeof buildAuthOptions> | undefined;
export const getAuthOptions = () => (authOptions ??= buildAuthOptions());

/** The signed-in person, or null. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(getAuthOptions());
  return session?.user?.id ? session.user : null;
}

/** For route handlers, server actions and the DAL: throws 401/403 as AppError. */
export async function requireUser(permission?: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to use Switchboard.");
  if (permission) assertCan(user, permission);
  return user;
}

export function assertCan(user: CurrentUser, permission: Permission): void {
  if (!can(user, permission)) {
    throw new AppError("FORBIDDEN", `Your roles (${user.roles.join(", ") || "none"}) do not allow ${permission}.`);
  }
}

/** For pages: sends anonymous people to sign in, and shows the forbidden page to the wrong role. */
export async function requirePageUser(permission?: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  if (permission && !can(user, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return user;
}
