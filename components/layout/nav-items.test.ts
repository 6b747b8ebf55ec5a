import { describe, expect, it } from "vitest";
import { isNavItemCurrent, navItems } from "./nav-items";

describe("navItems", () => {
  it("lists the sections in product order", () => {
    expect(navItems.map((item) => item.label)).toEqual(["Home", "Datasets", "Runs", "Experiments", "Models", "Approvals", "Monitoring", "Audit", "Admin"]);
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
