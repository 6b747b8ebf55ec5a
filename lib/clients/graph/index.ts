import { z } from "zod";
import { ContractError, createHttpClient, type TransportOptions } from "../http";

/**
 * Microsoft Graph v1.0, only what Switchboard reads: its own app registration's app roles and who
 * is assigned them (learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto; needs
 * Application.Read.All as an application permission). Groups are returned as groups: Graph does
 * not expand their members here.
 */

export interface GraphClientOptions extends TransportOptions {
  /** https://graph.microsoft.com/v1.0, or the sandbox's /v1.0. */
  baseUrl: string;
}

/** Client-credentials scope for Graph. */
export const graphScope = "https://graph.microsoft.com/.default";

const appRolesSchema = z.object({
  appRoles: z
    .array(
      z.object({
        id: z.string(),
        value: z.string().nullable(),
        displayName: z.string().nullable().optional(),
        isEnabled: z.boolean().default(true),
      }),
    )
    .default([]),
});
const assignmentsSchema = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      appRoleId: z.string(),
      principalId: z.string(),
      principalDisplayName: z.string().nullable(),
      principalType: z.string().nullable(),
      createdDateTime: z.string().nullable().optional(),
    }),
  ),
  "@odata.nextLink": z.string().optional(),
});

export interface AppRoleAssignment {
  principalId: string;
  principalName: string;
  principalType: string;
  /** The role's value as it appears in the `roles` claim; null for the default access role. */
  role: string | null;
  assignedAt: string | null;
}

export function createGraphClient(options: GraphClientOptions) {
  const base = options.baseUrl.replace(/\/$/, "");
  const http = createHttpClient({
    service: "Microsoft Graph",
    ...options,
    parseError: (_status, body) => {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      return { errorCode: error?.code, message: error?.message };
    },
  });
  const principal = (appId: string) =>
    `/servicePrincipals(appId='${encodeURIComponent(appId.replaceAll("'", "''"))}')`;

  return {
    /** Every app role assignment of the app, with role values resolved from the service principal's app roles. */
    async listAppRoleAssignments(appId: string): Promise<AppRoleAssignment[]> {
      const { appRoles } = await http.request("GET", principal(appId), {
        query: { $select: "appRoles" },
        schema: appRolesSchema,
      });
      const roleOf = new Map(appRoles.map((r) => [r.id, r.value]));
      const assignments: AppRoleAssignment[] = [];
      let path: string | undefined = `${principal(appId)}/appRoleAssignedTo`;
      for (let page = 0; path && page < 100; page++) {
        const body: z.output<typeof assignmentsSchema> = await http.request("GET", path, {
          schema: assignmentsSchema,
        });
        for (const a of body.value)
          assignments.push({
            principalId: a.principalId,
            principalName: a.principalDisplayName ?? a.principalId,
            principalType: a.principalType ?? "User",
            role: roleOf.get(a.appRoleId) ?? null,
            assignedAt: a.createdDateTime ?? null,
          });
        const next = body["@odata.nextLink"];
        if (next && !next.startsWith(base))
          throw new ContractError("Microsoft Graph", path!, `@odata.nextLink ${next} is not under ${base}`);
        path = next?.slice(base.length);
      }
      return assignments;
    },
  };
}
export type GraphClient = ReturnType<typeof createGraphClient>;
