import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/client";
import type * as SessionStore from "@/lib/db/sessions";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import type * as SessionModule from "./session";

// The request's cookies, as next/headers would give them to a route handler.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => [...jar].map(([name, value]) => ({ name, value })) }),
}));

let database: TestDatabase;
let db: PrismaClient;
let session: typeof SessionModule;
let sessions: typeof SessionStore;
let secret: string;
const limits = { maxAgeMs: 8 * 3_600_000, idleTimeoutMs: 3_600_000 };

const dana = {
  userId: "",
  oid: "oid-dana",
  name: "Dana Nguyen",
  email: "dana@example.com",
  roles: ["DataScientist" as const],
};
const sessionCookie = (token: Record<string, unknown>, key = secret) =>
  encode({ token, secret: key, maxAge: 60 });

describe("sessions", () => {
  beforeAll(async () => {
    database = await createTestDatabase("session_test");
    // The app's least-privilege login, as the web app uses.
    process.env.DATABASE_URL = database.appUrl;
    db = createPrismaClient(database.appUrl);
    session = await import("./session");
    sessions = await import("@/lib/db/sessions");
    const { getConfig, sessionSecret } = await import("@/lib/config");
    secret = sessionSecret(getConfig());
    dana.userId = (
      await db.user.create({
        data: { entraObjectId: dana.oid, name: dana.name, email: dana.email, roles: dana.roles },
        select: { id: true },
      })
    ).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await (await import("@/lib/db/client")).getDb().$disconnect();
    await database?.drop();
  });

  beforeEach(() => jar.clear());

  it("reads the person from the session cookie while its session is live", async () => {
    const sid = await sessions.startSession(db, dana.userId, limits);
    jar.set("next-auth.session-token", await sessionCookie({ ...dana, sid }));
    expect(await session.getCurrentUser()).toEqual({
      id: dana.userId,
      oid: "oid-dana",
      name: "Dana Nguyen",
      email: "dana@example.com",
      roles: ["DataScientist"],
    });
  });

  it("is null without a cookie, with a token sealed by another secret, without a user id or without a session", async () => {
    const sid = await sessions.startSession(db, dana.userId, limits);
    expect(await session.getCurrentUser()).toBeNull();
    jar.set("next-auth.session-token", await sessionCookie({ ...dana, sid }, "some-other-secret-entirely"));
    expect(await session.getCurrentUser()).toBeNull();
    jar.set("next-auth.session-token", await sessionCookie({ ...dana, sid, userId: undefined }));
    expect(await session.getCurrentUser()).toBeNull();
    // A cookie minted before server-side sessions, or by someone holding the secret but no session row.
    jar.set("next-auth.session-token", await sessionCookie(dana));
    expect(await session.getCurrentUser()).toBeNull();
    jar.set(
      "next-auth.session-token",
      await sessionCookie({ ...dana, sid: "5b7d1f3e-0000-4000-8000-000000000000" }),
    );
    expect(await session.getCurrentUser()).toBeNull();
  });

  it("ends the session on sign-out: the same cookie no longer works", async () => {
    const sid = await sessions.startSession(db, dana.userId, limits);
    const cookie = await sessionCookie({ ...dana, sid });
    jar.set("next-auth.session-token", cookie);
    expect(await session.getCurrentUser()).not.toBeNull();
    // What next-auth calls on POST /api/auth/signout with the JWT strategy.
    await session.getAuthOptions().events!.signOut!({ token: { ...dana, sid }, session: undefined as never });
    jar.set("next-auth.session-token", cookie);
    expect(await session.getCurrentUser()).toBeNull();
    await expect(session.requireUser()).rejects.toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
  });

  it("ends a session after its lifetime, and after the idle timeout without requests", async () => {
    const start = new Date("2026-12-01T09:00:00Z");
    const sid = await sessions.startSession(db, dana.userId, limits, start);
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    expect(await sessions.isSessionLive(db, sid, limits, at(50))).toBe(true); // touches last-seen
    expect(await sessions.isSessionLive(db, sid, limits, at(105))).toBe(true); // 55 min idle
    expect(await sessions.isSessionLive(db, sid, limits, at(170))).toBe(false); // 65 min idle
    const busy = await sessions.startSession(db, dana.userId, limits, start);
    for (let minutes = 30; minutes < 480; minutes += 30)
      expect(await sessions.isSessionLive(db, busy, limits, at(minutes))).toBe(true);
    expect(await sessions.isSessionLive(db, busy, limits, at(481))).toBe(false);
  });

  it("ignores the __Secure- cookie when the app is served over plain HTTP", async () => {
    const sid = await sessions.startSession(db, dana.userId, limits);
    jar.set("__Secure-next-auth.session-token", await sessionCookie({ ...dana, sid }));
    expect(await session.getCurrentUser()).toBeNull();
  });

  it("answers 401 without a session and 403 for a missing permission", async () => {
    await expect(session.requireUser()).rejects.toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    const sid = await sessions.startSession(db, dana.userId, limits);
    jar.set("next-auth.session-token", await sessionCookie({ ...dana, sid }));
    await expect(session.requireUser("promotions:decide")).rejects.toMatchObject({
      code: "FORBIDDEN",
      status: 403,
    });
    await expect(session.requireUser("runs:launch")).resolves.toMatchObject({ id: dana.userId });
    expect(() => session.assertCan({ ...dana, id: dana.userId, roles: [] }, "runs:read")).toThrow(
      /do not allow runs:read/,
    );
  });
});
