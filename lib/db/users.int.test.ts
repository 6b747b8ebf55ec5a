import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, permissionRoles, type Permission, type Role } from "@/lib/auth/permissions";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { createPrismaClient, type PrismaClient } from "./client";
import { upsertSignedInUser, usersWhoCan } from "./users";

describe("usersWhoCan: a notification's audience, chosen by permission", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  const ids: Record<string, string> = {};
  const held: Record<string, Role[]> = {};
  const person = async (login: string, roles: Role[]) => {
    held[login] = roles;
    ids[login] = (await upsertSignedInUser(db, { oid: `oid-${login}`, name: login, roles })).id;
  };
  const logins = async (found: Promise<string[]>) =>
    (await found).map((id) => Object.keys(ids).find((login) => ids[login] === id)).sort();

  beforeAll(async () => {
    database = await createTestDatabase("users_audience_test");
    db = createPrismaClient(database.url);
    await person("dana", ["DataScientist"]);
    await person("mira", ["ModelRiskOfficer"]);
    await person("max", ["ModelRiskOfficer", "DataScientist"]);
    await person("omar", ["OnCall"]);
    await person("ada", ["Admin"]);
    await person("nobody", []);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("finds everyone holding a role that carries the permission, each once", async () => {
    expect(await logins(usersWhoCan(db, "promotions:decide"))).toEqual(["max", "mira"]);
    expect(await logins(usersWhoCan(db, "alerts:acknowledge"))).toEqual(["omar"]);
    expect(await logins(usersWhoCan(db, "alerts:configure"))).toEqual(["ada", "omar"]);
    expect(await logins(usersWhoCan(db, "models:read"))).toEqual(["ada", "dana", "max", "mira", "omar"]);
  });

  it("never tells the people who caused the event, and ignores absent ids", async () => {
    expect(await logins(usersWhoCan(db, "promotions:decide", [ids.mira, null, undefined]))).toEqual(["max"]);
    expect(await usersWhoCan(db, "promotions:decide", [ids.mira, ids.max])).toEqual([]);
  });

  it("is, for every permission, exactly the people `can` allows", async () => {
    for (const permission of Object.keys(permissionRoles) as Permission[]) {
      const allowed = Object.keys(held).filter((login) => can({ roles: held[login] }, permission));
      expect(await logins(usersWhoCan(db, permission)), permission).toEqual(allowed.sort());
    }
  });
});
