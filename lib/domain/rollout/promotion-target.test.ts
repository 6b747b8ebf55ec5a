import { describe, expect, it } from "vitest";
import {
  archivesIncumbents,
  describeTarget,
  isProductionTarget,
  isUnityCatalogModelName,
  normaliseStage,
} from "./promotion-target";

describe("promotion targets", () => {
  it("normalises stages case-insensitively and refuses unknown ones", () => {
    expect(normaliseStage("production")).toBe("Production");
    expect(normaliseStage(" STAGING ")).toBe("Staging");
    expect(() => normaliseStage("prod")).toThrow(RangeError);
  });

  it("treats Production and @champion as production traffic, nothing else", () => {
    expect(
      isProductionTarget({ registry: "WORKSPACE", modelName: "m", version: "1", targetStage: "Production" }),
    ).toBe(true);
    expect(
      isProductionTarget({
        registry: "UNITY_CATALOG",
        modelName: "a.b.c",
        version: "1",
        targetAlias: "champion",
      }),
    ).toBe(true);
    expect(
      isProductionTarget({
        registry: "UNITY_CATALOG",
        modelName: "a.b.c",
        version: "1",
        targetAlias: "challenger",
      }),
    ).toBe(false);
    expect(
      isProductionTarget({ registry: "WORKSPACE", modelName: "m", version: "1", targetStage: "Staging" }),
    ).toBe(false);
  });

  it("archives incumbents only where MLflow allows it", () => {
    expect(
      ["None", "Staging", "Production", "Archived"].filter((s) => archivesIncumbents(normaliseStage(s))),
    ).toEqual(["Staging", "Production"]);
  });

  it("describes targets and recognises Unity Catalog names", () => {
    expect(describeTarget({ targetStage: "production" })).toBe("Production");
    expect(describeTarget({ targetAlias: "champion" })).toBe("@champion");
    expect(isUnityCatalogModelName("main.ml.churn_classifier")).toBe(true);
    expect(isUnityCatalogModelName("churn-classifier")).toBe(false);
    expect(isUnityCatalogModelName("a.b")).toBe(false);
  });
});
