import { describe, expect, it } from "vitest";
import { can, parseRoles } from "./permissions";

describe("can", () => {
  it("grants by role and refuses everyone else", () => {
    expect(can({ roles: ["DataScientist"] }, "runs:launch")).toBe(true);
    expect(can({ roles: ["ModelRiskOfficer"] }, "runs:launch")).toBe(false);
    expect(can({ roles: ["ModelRiskOfficer"] }, "promotions:decide")).toBe(true);
    expect(can({ roles: ["DataScientist"] }, "promotions:decide")).toBe(false);
    expect(can({ roles: ["OnCall"] }, "deployments:rollback")).toBe(true);
    expect(can({ roles: ["Admin"] }, "deployments:rollback")).toBe(false);
  });

  it("lets launchers ask to cancel and only admins cancel anyone's run", () => {
    expect(can({ roles: ["DataScientist"] }, "runs:cancel")).toBe(true);
    expect(can({ roles: ["DataScientist"] }, "runs:cancel-any")).toBe(false);
    expect(can({ roles: ["Admin"] }, "runs:cancel")).toBe(true);
    expect(can({ roles: ["Admin"] }, "runs:cancel-any")).toBe(true);
    expect(can({ roles: ["OnCall", "ModelRiskOfficer"] }, "runs:cancel")).toBe(false);
  });

  it("lets data scientists trigger pipelines and only admins pause them", () => {
    expect(can({ roles: ["DataScientist"] }, "pipelines:trigger")).toBe(true);
    expect(can({ roles: ["OnCall"] }, "pipelines:trigger")).toBe(false);
    expect(can({ roles: ["OnCall"] }, "pipelines:read")).toBe(true);
    expect(can({ roles: ["DataScientist"] }, "pipelines:pause")).toBe(false);
    expect(can({ roles: ["Admin"] }, "pipelines:pause")).toBe(true);
  });

  it("refuses a missing principal and a principal without roles", () => {
    expect(can(null, "models:read")).toBe(false);
    expect(can({ roles: [] }, "models:read")).toBe(false);
  });
});

describe("parseRoles", () => {
  it("keeps only known app roles", () => {
    expect(parseRoles(["OnCall", "Something.Else", "Admin"])).toEqual(["OnCall", "Admin"]);
    expect(parseRoles("Admin")).toEqual([]);
    expect(parseRoles(undefined)).toEqual([]);
  });
});
