import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider, { type Configuration } from "oidc-provider";
import type { SandboxContext } from "../lib/context";
import type { SandboxSystem } from "../systems";
import { sandboxOidcClient } from "@/lib/config/sandbox-oidc";
import { demoPeople, findDemoPerson, sandboxTenantId } from "./people";
import { renderSignInPage } from "./sign-in-page";

const mountPath = "/oidc";

/**
 * A real OpenID Connect provider (panva/oidc-provider: authorization code flow with PKCE, state and
 * nonce, signed ID tokens) standing in for Entra ID. ID tokens carry Entra's claims: oid, tid,
 * preferred_username and the app roles in `roles`.
 */
function createProvider(context: SandboxContext): Provider {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: "sandbox-signing-key",
    use: "sig",
    alg: "RS256",
  };
  const redirectUris = (context.appUrls ?? []).map(
    (url) => `${url.replace(/\/$/, "")}/api/auth/callback/azure-ad`,
  );
  const configuration: Configuration = {
    clients: [
      {
        client_id: sandboxOidcClient.clientId,
        client_secret: sandboxOidcClient.clientSecret,
        redirect_uris: redirectUris,
        post_logout_redirect_uris: (context.appUrls ?? []).map((url) => url.replace(/\/$/, "") + "/signin"),
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    // Entra puts profile claims and roles in the ID token itself, which next-auth reads.
    conformIdTokenClaims: false,
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username", "oid", "tid", "roles", "ver"],
      email: ["email"],
    },
    scopes: ["openid", "profile", "email"],
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const person = findDemoPerson(sub);
      if (!person) return undefined;
      return {
        accountId: person.oid,
        async claims() {
          return {
            sub: person.oid,
            oid: person.oid,
            tid: sandboxTenantId,
            ver: "2.0",
            name: person.name,
            preferred_username: person.email,
            email: person.email,
            roles: person.roles,
          };
        },
      };
    },
    // First-party app: consent is implied, as with an admin-consented Entra app registration.
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope("openid profile email");
      await grant.save();
      return grant;
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 600,
      IdToken: 3600,
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 8 * 3600,
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = `<!doctype html><title>Sign-in error</title><main style="font-family:system-ui;padding:2rem"><h1>Sign-in error</h1><p>${String(out.error)}: ${String(out.error_description ?? "")}</p></main>`;
    },
  };
  const provider = new Provider(`${context.baseUrl}${mountPath}`, configuration);
  provider.proxy = true;
  return provider;
}

let provider: Provider | undefined;

export const system: SandboxSystem = {
  name: "oidc",
  async register(app, context) {
    // Built on first use: the public base URL (the issuer) is known only once the server listens.
    const getProvider = () => (provider ??= createProvider(context));

    app.get(`${mountPath}/interaction/:uid`, async (request, reply) => {
      const details = await getProvider().interactionDetails(request.raw, reply.raw);
      return reply
        .type("text/html")
        .header("cache-control", "no-store")
        .send(renderSignInPage({ uid: details.uid, people: demoPeople, prompt: details.prompt.name }));
    });

    app.post<{ Params: { uid: string }; Body: { login?: string } }>(
      `${mountPath}/interaction/:uid/login`,
      async (request, reply) => {
        const person = findDemoPerson(request.body?.login ?? "");
        reply.hijack();
        if (!person) {
          await getProvider().interactionFinished(request.raw, reply.raw, {
            error: "access_denied",
            error_description: "Unknown person",
          });
          return;
        }
        await getProvider().interactionFinished(
          request.raw,
          reply.raw,
          { login: { accountId: person.oid } },
          { mergeWithLastSubmission: false },
        );
      },
    );

    // Everything else under /oidc is the provider itself (discovery, authorize, token, jwks, userinfo, logout).
    const delegate = (request: { raw: IncomingMessage }, reply: { hijack(): void; raw: ServerResponse }) => {
      reply.hijack();
      // Mounted like Express would: the provider derives its mount path from originalUrl.
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      raw.originalUrl = raw.url;
      raw.url = raw.url!.slice(mountPath.length) || "/";
      getProvider().callback()(request.raw, reply.raw);
    };
    await app.register(async (scope) => {
      // The provider reads request bodies itself, so this scope leaves the stream unread.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
      scope.all(`${mountPath}/*`, delegate);
      scope.all(mountPath, delegate);
    });
  },
  async close() {
    provider = undefined;
  },
};
