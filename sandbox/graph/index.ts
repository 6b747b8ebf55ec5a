import type { FastifyInstance } from "fastify";
import type { SandboxContext } from "../lib/context";
import { sandboxOidcClient } from "@/lib/config/sandbox-oidc";
import { demoPeople, type AppRole } from "../oidc/people";
import type { SandboxSystem } from "../systems";

/**
 * The two Microsoft Graph v1.0 reads Switchboard makes about its own app registration: the service
 * principal's app roles (`GET /servicePrincipals(appId='…')?$select=appRoles`) and who is assigned
 * them (`GET /servicePrincipals(appId='…')/appRoleAssignedTo`, paged with `@odata.nextLink`), in
 * Graph's shapes (learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto).
 */

const servicePrincipalId = "5b6c1f0e-7a4d-4c3e-9e1a-000000000051";
const appRoleIds: Record<AppRole, string> = {
  DataScientist: "8f1e0b52-0000-4000-b000-000000000001",
  ModelRiskOfficer: "8f1e0b52-0000-4000-b000-000000000002",
  OnCall: "8f1e0b52-0000-4000-b000-000000000003",
  Admin: "8f1e0b52-0000-4000-b000-000000000004",
};
const pageSize = 5;
const principal = /^servicePrincipals\(appId='([^']+)'\)(\/appRoleAssignedTo)?$/;

async function register(app: FastifyInstance, context: SandboxContext) {
  const assignments = demoPeople.flatMap((person) =>
    person.roles.map((role) => ({
      id: `${person.oid.slice(-12)}-${role}`,
      appRoleId: appRoleIds[role],
      createdDateTime: "2026-11-01T09:00:00Z",
      principalDisplayName: person.name,
      principalId: person.oid,
      principalType: "User",
      resourceDisplayName: "Switchboard",
      resourceId: servicePrincipalId,
    })),
  );
  app.get("/v1.0/*", async (request, reply) => {
    const path = decodeURIComponent((request.params as { "*": string })["*"]);
    const match = principal.exec(path);
    if (!match)
      return reply.status(400).send({
        error: {
          code: "BadRequest",
          message: `Resource not found for the segment '${path.split("/")[0]}'.`,
        },
      });
    if (match[1] !== sandboxOidcClient.clientId)
      return reply.status(404).send({
        error: {
          code: "Request_ResourceNotFound",
          message: `Resource '${match[1]}' does not exist or one of its queried reference-property objects are not present.`,
        },
      });
    if (!match[2]) {
      const appRoles = (Object.entries(appRoleIds) as [AppRole, string][]).map(([value, id]) => ({
        id,
        value,
        displayName: value,
        description: value,
        isEnabled: true,
        allowedMemberTypes: ["User"],
      }));
      return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appRoles)/$entity",
        id: servicePrincipalId,
        appId: match[1],
        displayName: "Switchboard",
        appRoles,
      };
    }
    const skip = Number((request.query as { $skiptoken?: string }).$skiptoken ?? 0) || 0;
    const page = assignments.slice(skip, skip + pageSize);
    const next =
      skip + pageSize < assignments.length
        ? `${context.baseUrl}/v1.0/servicePrincipals(appId='${match[1]}')/appRoleAssignedTo?$skiptoken=${skip + pageSize}`
        : undefined;
    return {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments",
      value: page,
      ...(next ? { "@odata.nextLink": next } : {}),
    };
  });
}

export const system: SandboxSystem = { name: "graph", register };
