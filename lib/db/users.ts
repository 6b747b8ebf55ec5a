import { rolesWith, type Permission, type Role } from "@/lib/auth/permissions";
import type { Prisma, PrismaClient } from "./client";

export interface SignedInIdentity {
  oid: string;
  name: string;
  email?: string | null;
  roles: Role[];
}

/** Records who signed in and the roles Entra gave them this time. */
export function upsertSignedInUser(db: PrismaClient, identity: SignedInIdentity) {
  const data = {
    name: identity.name,
    email: identity.email ?? null,
    roles: identity.roles,
    lastSignInAt: new Date(),
  };
  return db.user.upsert({
    where: { entraObjectId: identity.oid },
    create: { entraObjectId: identity.oid, ...data },
    update: data,
    select: { id: true },
  });
}

/**
 * A notification's audience: everyone whose last sign-in carried a role that may act on it (by
 * permission, so `lib/auth/permissions.ts` stays the one place that names roles), never those
 * who caused it. Inside the caller's transaction, so nobody is told about something that rolled back.
 */
export async function usersWhoCan(
  db: Prisma.TransactionClient | PrismaClient,
  permission: Permission,
  except: ReadonlyArray<string | null | undefined> = [],
): Promise<string[]> {
  const excluded = except.filter((id): id is string => Boolean(id));
  const users = await db.user.findMany({
    where: {
      roles: { hasSome: [...rolesWith(permission)] },
      id: excluded.length ? { notIn: excluded } : undefined,
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return users.map((u) => u.id);
}
