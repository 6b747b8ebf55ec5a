import { describe, expect, it } from "vitest";
import { navigationFor } from "@/lib/navigation";
import { isNavItemCurrent } from "./nav-items";

describe("navigationFor", () => {
  it("lists every section in product order for someone holding all roles", () => {
    const everyone = navigationFor({ roles: ["DataScientist", "ModelRiskOfficer", "OnCall", "Admin"] });
    expect(everyone.map((item) => item.label)).toEqual([
      "Home",
      "Datasets",
      "Runs",
      "Pipelines",
      "Features",
      "Experiments",
      "Models",
      "Approvals",
      "Monitoring",
      "Audit",
      "Admin",
    ]);
  });

  it("shows an on-call engineer only what their role opens", () => {
    expect(navigationFor({ roles: ["OnCall"] }).map((item) => item.label)).toEqual([
      "Home",
      "Runs",
      "Pipelines",
      "Features",
      "Models",
      "Approvals",
      "Monitoring",
    ]);
  });
});

describe("isNavItemCurrent", () => {
  it("matches Home only on the root", () => {
    expect(isNavItemCurrent("/", "/")).toBe(true);
    expect(isNavItemCurrent("/", "/runs")).toBe(false);
  });

  it("matches a section and its descendants", () => {
    expect(isNavItemCurrent("/runs", "/runs")).toBe(true);
    expect(isNavItemCurrent("/runs", "/runs/abc/metrics")).toBe(true);
  });

  it("does not match a sibling that shares a prefix", () => {
    expect(isNavItemCurrent("/models", "/models-archive")).toBe(false);
    expect(isNavItemCurrent("/audit", "/auditors")).toBe(false);
  });
});
