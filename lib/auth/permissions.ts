/**
 * Entra app roles and what each may do. Authorization everywhere asks `can(user, permission)`;
 * nothing compares role names directly, so this table is the one place to change a rule.
 */
export const roles = ["DataScientist", "ModelRiskOfficer", "OnCall", "Admin"] as const;
export type Role = (typeof roles)[number];

const everyone: readonly Role[] = roles;

export const permissionRoles = {
  "datasets:read": ["DataScientist", "ModelRiskOfficer", "Admin"],
  "runs:read": ["DataScientist", "ModelRiskOfficer", "OnCall", "Admin"],
  "runs:launch": ["DataScientist"],
  /** Asking to cancel at all; without `runs:cancel-any` only runs you launched (the DAL scopes by launcher). */
  "runs:cancel": ["DataScientist", "Admin"],
  "runs:cancel-any": ["Admin"],
  "experiments:read": ["DataScientist", "ModelRiskOfficer", "Admin"],
  /** Airflow DAGs, their runs, tasks and the quality results they produced. */
  "pipelines:read": ["DataScientist", "ModelRiskOfficer", "OnCall", "Admin"],
  "pipelines:trigger": ["DataScientist", "Admin"],
  /** Pausing stops the team's schedule for everyone, so only admins may. */
  "pipelines:pause": ["Admin"],
  /** Feast's feature views, entities and services, their freshness and the runs and models that use them. */
  "features:read": ["DataScientist", "ModelRiskOfficer", "OnCall", "Admin"],
  "models:read": everyone,
  "promotions:read": everyone,
  "promotions:request": ["DataScientist"],
  "promotions:decide": ["ModelRiskOfficer"],
  "monitoring:read": ["OnCall", "ModelRiskOfficer", "Admin"],
  "alerts:acknowledge": ["OnCall"],
  /** Alert rules decide who gets paged, so the people paged (and admins) set them. */
  "alerts:configure": ["OnCall", "Admin"],
  "deployments:rollback": ["OnCall"],
  /** Taking a canary to 100% is a risk decision as much as an operational one. */
  "deployments:promote": ["ModelRiskOfficer", "OnCall"],
  "audit:read": ["ModelRiskOfficer", "Admin"],
  /** The Admin pages: risk officers read policies, roles and channels; only admins change them. */
  "admin:read": ["ModelRiskOfficer", "Admin"],
  "admin:manage": ["Admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;

export interface Principal {
  roles: readonly Role[];
}

export function can(principal: Principal | null | undefined, permission: Permission): boolean {
  if (!principal) return false;
  const allowed: readonly Role[] = permissionRoles[permission];
  return principal.roles.some((role) => allowed.includes(role));
}

/**
 * The roles that carry a permission. For choosing whom to tell (a notification's audience is the
 * people who may act on it), never for a check: checks ask `can`.
 */
export function rolesWith(permission: Permission): readonly Role[] {
  return permissionRoles[permission];
}

/** Keeps only the roles Switchboard knows; Entra may send others for other apps. */
export function parseRoles(claim: unknown): Role[] {
  if (!Array.isArray(claim)) return [];
  return roles.filter((role) => claim.includes(role));
}
