import "server-only";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getCloudClients, type CloudClients } from "@/lib/cloud";
import { getDb, type PrismaClient } from "@/lib/db/client";
import { logger } from "@/lib/logger";

/**
 * Who holds which Switchboard role: Entra's app-role assignments when Graph can be read (the truth,
 * including people who never signed in and groups), else the roles each person had at their last
 * sign-in (a snapshot that may be out of date). The page says which it is.
 */
export interface RoleHolder {
  name: string;
  principalType: string;
  roles: string[];
  lastSignInAt: string | null;
}

export async function listRoleHolders(
  user: CurrentUser,
  deps: { db: PrismaClient; graph: CloudClients["graph"] } = { db: getDb(), graph: getCloudClients().graph },
) {
  assertCan(user, "admin:read");
  const signIns = await deps.db.user.findMany({
    select: { entraObjectId: true, name: true, roles: true, lastSignInAt: true },
    orderBy: { name: "asc" },
  });
  const fromSignIns = (note: string) => ({
    source: "sign-ins" as const,
    note,
    holders: signIns
      .filter((u) => u.roles.length)
      .map((u): RoleHolder => ({
        name: u.name,
        principalType: "User",
        roles: [...u.roles].sort(),
        lastSignInAt: u.lastSignInAt.toISOString(),
      })),
  });
  if (!deps.graph)
    return fromSignIns(
      "Entra's app-role assignments are not readable here (no app registration credentials), so this shows the roles each person had at their last sign-in.",
    );
  try {
    const assignments = await deps.graph.client.listAppRoleAssignments(deps.graph.appId);
    const lastSignIn = new Map(signIns.map((u) => [u.entraObjectId, u.lastSignInAt.toISOString()]));
    const byPrincipal = new Map<string, RoleHolder>();
    for (const a of assignments) {
      const holder = byPrincipal.get(a.principalId) ?? {
        name: a.principalName,
        principalType: a.principalType,
        roles: [],
        lastSignInAt: lastSignIn.get(a.principalId) ?? null,
      };
      if (a.role && !holder.roles.includes(a.role)) holder.roles.push(a.role);
      byPrincipal.set(a.principalId, holder);
    }
    const holders = [...byPrincipal.values()]
      .map((h) => ({ ...h, roles: h.roles.sort() }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      source: "entra" as const,
      note: "From Entra ID's app-role assignments for Switchboard; a group's members hold its roles.",
      holders,
    };
  } catch (error) {
    logger.warn({ err: error }, "could not read app-role assignments from Microsoft Graph");
    return fromSignIns(
      `Entra's app-role assignments could not be read (${error instanceof Error ? error.message : String(error)}), so this shows the roles each person had at their last sign-in.`,
    );
  }
}
