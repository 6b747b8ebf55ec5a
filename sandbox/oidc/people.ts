/**
 * The sandbox's people, one or more per Entra app role. Object ids are fixed so audit entries and
 * database rows stay stable across restarts.
 */
export type AppRole = "DataScientist" | "ModelRiskOfficer" | "OnCall" | "Admin";

export interface DemoPerson {
  /** What you pick on the sandbox sign-in page. */
  login: string;
  name: string;
  email: string;
  oid: string;
  roles: AppRole[];
  description: string;
}

export const sandboxTenantId = "5b6c1f0e-7a4d-4c3e-9e1a-000000000001";

export const demoPeople: DemoPerson[] = [
  {
    login: "dana",
    name: "Dana Nguyen",
    email: "dana.nguyen@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000001",
    roles: ["DataScientist"],
    description: "Data scientist: launches and compares training runs, requests promotions",
  },
  {
    login: "sam",
    name: "Sam Patel",
    email: "sam.patel@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000002",
    roles: ["DataScientist"],
    description: "Data scientist on the Gen-AI squad",
  },
  {
    login: "riley",
    name: "Riley Chen",
    email: "riley.chen@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000003",
    roles: ["ModelRiskOfficer"],
    description: "Model risk officer: reviews and decides promotions",
  },
  {
    login: "morgan",
    name: "Morgan Lee",
    email: "morgan.lee@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000004",
    roles: ["ModelRiskOfficer"],
    description: "Second model risk officer, for two-approver Production promotions",
  },
  {
    login: "alex",
    name: "Alex Kim",
    email: "alex.kim@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000005",
    roles: ["DataScientist", "ModelRiskOfficer"],
    description: "Holds both roles: may never approve their own request",
  },
  {
    login: "omar",
    name: "Omar Haddad",
    email: "omar.haddad@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000006",
    roles: ["OnCall"],
    description: "On-call engineer: watches services, acknowledges alerts, rolls back",
  },
  {
    login: "ada",
    name: "Ada Walsh",
    email: "ada.walsh@switchboard.example",
    oid: "00000000-0000-4000-a000-000000000007",
    roles: ["Admin"],
    description: "Platform administrator",
  },
];

export const findDemoPerson = (loginOrOid: string) =>
  demoPeople.find((p) => p.login === loginOrOid || p.oid === loginOrOid);
