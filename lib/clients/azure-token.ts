import { ConfidentialClientApplication } from "@azure/msal-node";
import { CloudApiError, type TokenProvider } from "./http";

/** The Azure Databricks resource (first-party application id), app-only scope. */
export const azureDatabricksScope = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default";

/** The one MSAL call the provider needs; tests inject a fake instead of talking to Entra ID. */
export interface ClientCredentialApp {
  acquireTokenByClientCredential(request: {
    scopes: string[];
  }): Promise<{ accessToken: string; expiresOn: Date | null } | null>;
}

export interface AzureTokenProviderOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Defaults to the Azure Databricks scope. */
  scope?: string;
  authorityHost?: string;
  app?: ClientCredentialApp;
}

/** Entra ID answers that no retry will fix (bad secret, unknown app or scope). */
const permanentErrorCodes = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "invalid_scope",
  "invalid_grant",
  "invalid_resource",
]);

/**
 * A service principal's access token via the client-credentials flow. MSAL keeps the token in its
 * in-memory cache and fetches a new one shortly before expiry, so calling this per request is cheap;
 * concurrent callers share one in-flight request.
 */
export function createAzureTokenProvider(options: AzureTokenProviderOptions): TokenProvider {
  const app =
    options.app ??
    new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority: `${options.authorityHost ?? "https://login.microsoftonline.com"}/${options.tenantId}`,
      },
    });
  const scopes = [options.scope ?? azureDatabricksScope];
  let inFlight: Promise<string> | undefined;

  async function acquire(): Promise<string> {
    let result: Awaited<ReturnType<ClientCredentialApp["acquireTokenByClientCredential"]>>;
    try {
      result = await app.acquireTokenByClientCredential({ scopes });
    } catch (error) {
      const {
        errorCode = "",
        errorMessage,
        message,
      } = error as { errorCode?: string; errorMessage?: string; message?: string };
      // MSAL's messages carry the AADSTS code and a correlation id, never the secret.
      throw new CloudApiError(
        "Entra ID",
        0,
        errorCode,
        `token request for ${scopes[0]} failed: ${errorMessage || message}`,
        !permanentErrorCodes.has(errorCode),
      );
    }
    if (!result?.accessToken)
      throw new CloudApiError(
        "Entra ID",
        0,
        "NO_TOKEN",
        `token request for ${scopes[0]} returned no access token`,
        true,
      );
    return result.accessToken;
  }

  return () => (inFlight ??= acquire().finally(() => (inFlight = undefined)));
}

/** A fixed bearer token: a Databricks personal access token, or the sandbox's token. */
export function staticTokenProvider(token: string): TokenProvider {
  if (!token) throw new Error("staticTokenProvider needs a non-empty token");
  return async () => token;
}
