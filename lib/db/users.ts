import type { Role } from "@/lib/auth/permissions";
import type { PrismaClient } from "./client";

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
