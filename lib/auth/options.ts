import type { NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import type { OAuthConfig } from "next-auth/providers/oauth";
import AzureADProvider from "next-auth/providers/azure-ad";
import { getConfig, secureSessionCookie, sessionLimits, sessionSecret, type Config } from "@/lib/config";
import { sandboxOidcClient } from "@/lib/config/sandbox-oidc";
import { getDb } from "@/lib/db/client";
import { revokeSession, startSession } from "@/lib/db/sessions";
import { upsertSignedInUser } from "@/lib/db/users";
import { parseRoles, type Role } from "./permissions";

/** The ID token claims Switchboard reads (Entra v2 tokens; the sandbox issues the same). */
interface EntraClaims {
  sub: string;
  oid?: string;
  name?: string;
  email?: string;
  preferred_username?: string;
  roles?: string[];
}

const toProfile = (claims: EntraClaims) => ({
  id: claims.oid ?? claims.sub,
  name: claims.name ?? claims.preferred_username ?? "Unknown",
  email: claims.email ?? claims.preferred_username ?? null,
});

/**
 * Both modes run the same OpenID Connect code flow under the provider id "azure-ad", so the
 * callback URL is /api/auth/callback/azure-ad everywhere.
 */
function identityProvider(config: Config): OAuthConfig<EntraClaims> {
  if (config.SWITCHBOARD_MODE === "cloud") {
    const entra = AzureADProvider({
      clientId: config.ENTRA_CLIENT_ID!,
      clientSecret: config.ENTRA_CLIENT_SECRET!,
      tenantId: config.ENTRA_TENANT_ID!,
      authorization: { params: { scope: "openid profile email", prompt: "select_account" } },
    }) as OAuthConfig<EntraClaims>;
    // The stock profile() fetches a photo from Microsoft Graph on every sign-in; we need only the claims.
    return { ...entra, name: "Microsoft Entra ID", checks: ["pkce", "state", "nonce"], profile: toProfile };
  }
  return {
    id: "azure-ad",
    name: "Microsoft Entra ID (sandbox)",
    type: "oauth",
    wellKnown: `${config.SANDBOX_URL}/oidc/.well-known/openid-configuration`,
    clientId: sandboxOidcClient.clientId,
    clientSecret: sandboxOidcClient.clientSecret,
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    // Always show the sandbox's people picker, so switching person after sign-out is one click.
    authorization: { params: { scope: "openid profile email", prompt: "login" } },
    profile: toProfile,
  };
}

declare module "next-auth" {
  interface Session {
    user: { id: string; oid: string; name: string; email: string | null; roles: Role[] };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    /** The server-side session (user_sessions) this cookie belongs to; sign-out revokes it. */
    sid?: string;
    oid?: string;
    roles?: Role[];
  }
}

/** The signed-in person a session token describes (the token carries a snapshot from sign-in). */
export function userFromToken(token: JWT): Session["user"] {
  return {
    id: token.userId ?? "",
    oid: token.oid ?? "",
    name: token.name ?? "Unknown",
    email: token.email ?? null,
    roles: token.roles ?? [],
  };
}

export function buildAuthOptions(config: Config = getConfig()): NextAuthOptions {
  // next-auth v4 takes its public URL (the OIDC redirect URI) from NEXTAUTH_URL alone, falling
  // back to http://localhost:3000; APP_URL is the one setting operators give.
  process.env.NEXTAUTH_URL ??= config.APP_URL;
  return {
    secret: sessionSecret(config),
    useSecureCookies: secureSessionCookie(config),
    providers: [identityProvider(config)],
    pages: { signIn: "/signin", error: "/signin" },
    // JWT sessions: roles are a snapshot of the ID token until the next sign-in (as with Entra).
    // The cookie names a server-side session row, so sign-out and the idle timeout end it at once.
    session: { strategy: "jwt", maxAge: config.SESSION_MAX_AGE_MINUTES * 60 },
    events: {
      async signOut({ token }) {
        if (token?.sid) await revokeSession(getDb(), token.sid);
      },
    },
    callbacks: {
      async jwt({ token, profile }) {
        if (profile) {
          const claims = profile as EntraClaims;
          const identity = {
            ...toProfile(claims),
            oid: claims.oid ?? claims.sub,
            roles: parseRoles(claims.roles),
          };
          const user = await upsertSignedInUser(getDb(), identity);
          token.userId = user.id;
          token.sid = await startSession(getDb(), user.id, sessionLimits(config));
          token.oid = identity.oid;
          token.roles = identity.roles;
          token.name = identity.name;
          token.email = identity.email;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = userFromToken(token);
        return session;
      },
    },
  };
}
