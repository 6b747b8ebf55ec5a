import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getConfig, sessionLimits } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { isSessionLiveShared } from "@/lib/db/sessions";
import { AppError } from "@/lib/errors";
import { buildAuthOptions, userFromToken } from "./options";
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

/**
 * The signed-in person, or null. Reads the session cookie (an encrypted JWT) the way proxy.ts does,
 * without next-auth's getServerSession, which re-encrypts and re-sets the cookie on every call:
 * that doubled the cost of each API request. Sessions therefore last `maxAge` from sign-in
 * (lib/auth/options.ts), as they already did for pages, which cannot set cookies. The session row
 * the cookie names must still be live (not signed out, not idle too long): one primary-key read,
 * shared for a second by the requests of one session (lib/db/sessions.ts).
 * Memoised per request (React cache), so a page and its data functions read it once.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  // Cookies only: unlike next-auth's default, a session token is never accepted from an Authorization header.
  const req = { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"];
  const { secret, useSecureCookies } = getAuthOptions();
  const token = await getToken({ req, secret, secureCookie: useSecureCookies });
  if (!token?.userId || !token.sid) return null;
  if (!(await isSessionLiveShared(getDb(), token.sid, sessionLimits(getConfig())))) return null;
  return userFromToken(token);
});

/** For route handlers, server actions and the DAL: throws 401/403 as AppError. */
export async function requireUser(permission?: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to use Switchboard.");
  if (permission) assertCan(user, permission);
  return user;
}

export function assertCan(user: CurrentUser, permission: Permission): void {
  if (!can(user, permission)) {
    throw new AppError(
      "FORBIDDEN",
      `Your roles (${user.roles.join(", ") || "none"}) do not allow ${permission}.`,
    );
  }
}

/** For pages: sends anonymous people to sign in, and shows the forbidden page to the wrong role. */
export async function requirePageUser(permission?: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  if (permission && !can(user, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return user;
}
