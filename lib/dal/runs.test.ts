import { describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/session";
import { canCancelRun, cancellableRunScope } from "./runs";

const person = (id: string, roles: CurrentUser["roles"]): CurrentUser => ({
  id,
  oid: `oid-${id}`,
  name: id,
  email: null,
  roles,
});
const dana = person("dana", ["DataScientist"]);
const ada = person("ada", ["Admin"]);
const riley = person("riley", ["ModelRiskOfficer"]);
const omar = person("omar", ["OnCall"]);

describe("who may cancel a run", () => {
  it("lets a data scientist cancel the runs they launched, and no one else's", () => {
    expect(canCancelRun(dana, "dana")).toBe(true);
    expect(canCancelRun(dana, "sam")).toBe(false);
    expect(cancellableRunScope(dana, "r1")).toEqual({ id: "r1", launchedById: "dana" });
  });

  it("lets an admin cancel anyone's run", () => {
    expect(canCancelRun(ada, "dana")).toBe(true);
    expect(canCancelRun(ada, "ada")).toBe(true);
    expect(cancellableRunScope(ada, "r1")).toEqual({ id: "r1" });
    expect(canCancelRun(person("both", ["DataScientist", "Admin"]), "dana")).toBe(true);
  });

  it("refuses roles without a cancel permission, even for a run recorded as theirs", () => {
    expect(canCancelRun(riley, "riley")).toBe(false);
    expect(canCancelRun(omar, "omar")).toBe(false);
    expect(canCancelRun(person("nobody", []), "nobody")).toBe(false);
  });
});
