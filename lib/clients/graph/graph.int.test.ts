import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPeople } from "@/sandbox/oidc/people";
import { sandboxOidcClient } from "@/lib/config/sandbox-oidc";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { CloudApiError } from "../http";
import { createGraphClient } from ".";

describe("Microsoft Graph client against the sandbox's Graph over HTTP", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 20 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  const client = () =>
    createGraphClient({
      baseUrl: `${sandbox.url}/v1.0`,
      getToken: async () => sandbox.token,
      sleep: async () => undefined,
    });

  it("follows @odata.nextLink through every page and resolves each assignment's role value", async () => {
    const assignments = await client().listAppRoleAssignments(sandboxOidcClient.clientId);
    const expected = demoPeople.flatMap((p) => p.roles.map((role) => `${p.name}: ${role}`)).sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(assignments.map((a) => `${a.principalName}: ${a.role}`).sort()).toEqual(expected);
    expect(assignments.find((a) => a.principalName === "Alex Kim")).toMatchObject({
      principalType: "User",
      principalId: demoPeople.find((p) => p.login === "alex")!.oid,
    });
  });

  it("answers an unknown app with Graph's 404, and a missing token with 401", async () => {
    const missing = await client()
      .listAppRoleAssignments("no-such-app")
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CloudApiError);
    expect(missing).toMatchObject({ status: 404, errorCode: "Request_ResourceNotFound" });
    const anonymous = await createGraphClient({
      baseUrl: `${sandbox.url}/v1.0`,
      sleep: async () => undefined,
    })
      .listAppRoleAssignments(sandboxOidcClient.clientId)
      .catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ status: 401 });
  });
});
