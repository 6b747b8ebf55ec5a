import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getConfig, sessionSecret } from "@/lib/config";

// The request's cookies, as next/headers would give them to a route handler.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => [...jar].map(([name, value]) => ({ name, value })) }),
}));

const { assertCan, getCurrentUser, requireUser } = await import("./session");

const dana = { userId: "u-dana", oid: "oid-dana", name: "Dana Nguyen", email: "dana@example.com", roles: ["DataScientist" as const] };
const sessionCookie = (token: Record<string, unknown>, secret = sessionSecret(getConfig())) => encode({ token, secret, maxAge: 60 });

describe("getCurrentUser", () => {
  beforeEach(() => jar.clear());

  it("reads the person from the session cookie", async () => {
    jar.set("next-auth.session-token", await sessionCookie(dana));
    expect(await getCurrentUser()).toEqual({ id: "u-dana", oid: "oid-dana", name: "Dana Nguyen", email: "dana@example.com", roles: ["DataScientist"] });
  });

  it("is null without a cookie, with a token sealed by another secret, or without a user id", async () => {
    expect(await getCurrentUser()).toBeNull();
    jar.set("next-auth.session-token", await sessionCookie(dana, "some-other-secret-entirely"));
    expect(await getCurrentUser()).toBeNull();
    jar.set("next-auth.session-token", await sessionCookie({ ...dana, userId: undefined }));
    expect(await getCurrentUser()).toBeNull();
  });

  it("ignores the __Secure- cookie when the app is served over plain HTTP", async () => {
    jar.set("__Secure-next-auth.session-token", await sessionCookie(dana));
    expect(await getCurrentUser()).toBeNull();
  });

  it("answers 401 without a session and 403 for a missing permission", async () => {
    await expect(requireUser()).rejects.toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    jar.set("next-auth.session-token", await sessionCookie(dana));
    await expect(requireUser("promotions:decide")).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    await expect(requireUser("runs:launch")).resolves.toMatchObject({ id: "u-dana" });
    expect(() => assertCan({ ...dana, id: "u-dana", roles: [] }, "runs:read")).toThrow(/do not allow runs:read/);
  });
});
