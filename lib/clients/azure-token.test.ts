import { describe, expect, it } from "vitest";
import {
  azureDatabricksScope,
  createAzureTokenProvider,
  staticTokenProvider,
  type ClientCredentialApp,
} from "./azure-token";
import { z } from "zod";
import { CloudApiError, createHttpClient } from "./http";

const credentials = { tenantId: "tenant-1", clientId: "client-1", clientSecret: "s3cret-value" };

/** Behaves like MSAL's client-credentials call: serves from its cache until the token nears expiry. */
function fakeMsal(options: { fail?: unknown; empty?: boolean; delayMs?: number } = {}) {
  const requests: string[][] = [];
  let issued = 0;
  const app: ClientCredentialApp = {
    async acquireTokenByClientCredential(request) {
      requests.push(request.scopes);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.fail) throw options.fail;
      if (options.empty) return null;
      issued++;
      return { accessToken: `token-${issued}`, expiresOn: new Date(Date.now() + 3_600_000) };
    },
  };
  return { app, requests };
}

describe("createAzureTokenProvider", () => {
  it("asks for the Azure Databricks app-only scope by default", async () => {
    const msal = fakeMsal();
    const getToken = createAzureTokenProvider({ ...credentials, app: msal.app });
    expect(await getToken()).toBe("token-1");
    expect(msal.requests).toEqual([[azureDatabricksScope]]);
    expect(azureDatabricksScope).toBe("2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default");
  });

  it("uses the scope it is given", async () => {
    const msal = fakeMsal();
    await createAzureTokenProvider({ ...credentials, scope: "api://switchboard/.default", app: msal.app })();
    expect(msal.requests).toEqual([["api://switchboard/.default"]]);
  });

  it("shares one in-flight request between concurrent callers, then asks MSAL again (which serves its cache)", async () => {
    const msal = fakeMsal({ delayMs: 20 });
    const getToken = createAzureTokenProvider({ ...credentials, app: msal.app });
    const tokens = await Promise.all([getToken(), getToken(), getToken()]);
    expect(tokens).toEqual(["token-1", "token-1", "token-1"]);
    expect(msal.requests).toHaveLength(1);
    await getToken();
    expect(msal.requests).toHaveLength(2);
  });

  it("reports a bad secret as a permanent error without leaking the secret", async () => {
    const msal = fakeMsal({
      fail: Object.assign(new Error("invalid_client"), {
        errorCode: "invalid_client",
        errorMessage: "AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2",
      }),
    });
    const error = await createAzureTokenProvider({ ...credentials, app: msal.app })().catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).toMatchObject({ service: "Entra ID", errorCode: "invalid_client", retryable: false });
    expect((error as Error).message).toContain("AADSTS7000215");
    expect((error as Error).message).not.toContain(credentials.clientSecret);
  });

  it("treats a network failure as retryable and asks again on the next call", async () => {
    let calls = 0;
    const app: ClientCredentialApp = {
      async acquireTokenByClientCredential() {
        if (++calls === 1)
          throw Object.assign(new Error("network_error: ECONNRESET"), { errorCode: "network_error" });
        return { accessToken: "token-after-retry", expiresOn: null };
      },
    };
    const getToken = createAzureTokenProvider({ ...credentials, app });
    await expect(getToken()).rejects.toMatchObject({ errorCode: "network_error", retryable: true });
    expect(await getToken()).toBe("token-after-retry");
  });

  it("refuses an answer without an access token", async () => {
    const msal = fakeMsal({ empty: true });
    await expect(createAzureTokenProvider({ ...credentials, app: msal.app })()).rejects.toMatchObject({
      errorCode: "NO_TOKEN",
    });
  });

  it("builds a real MSAL application without any network call", () => {
    expect(typeof createAzureTokenProvider(credentials)).toBe("function");
  });
});

describe("staticTokenProvider", () => {
  it("returns the token it was given and refuses an empty one", async () => {
    expect(await staticTokenProvider("dapi-123")()).toBe("dapi-123");
    expect(() => staticTokenProvider("")).toThrow(/non-empty/);
  });
});

describe("Entra ID tokens in the shared transport", () => {
  it("gives up at once on a refused secret instead of retrying it as an unreachable service", async () => {
    const msal = fakeMsal({
      fail: Object.assign(new Error("invalid_client"), {
        errorCode: "invalid_client",
        errorMessage: "AADSTS7000215: Invalid client secret provided.",
      }),
    });
    const fetchCalls: string[] = [];
    const http = createHttpClient({
      service: "Databricks",
      baseUrl: "https://adb-1.azuredatabricks.net",
      getToken: createAzureTokenProvider({ ...credentials, app: msal.app }),
      fetch: async (input) => {
        fetchCalls.push(String(input));
        return new Response("{}", { headers: { "content-type": "application/json" } });
      },
      sleep: async () => {},
    });
    const error = await http
      .request("GET", "/api/2.2/jobs/runs/list", { schema: z.object({}) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ service: "Entra ID", errorCode: "invalid_client", retryable: false });
    expect(msal.requests).toHaveLength(1);
    expect(fetchCalls).toHaveLength(0);
  });
});
