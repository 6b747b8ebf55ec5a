import { describe, expect, it } from "vitest";
import { promotionTargetLabel } from "./promotions";

describe("promotionTargetLabel", () => {
  it("reads a stage as itself and an alias with its @", () => {
    expect(promotionTargetLabel({ targetStage: "Production", targetAlias: null })).toBe("Production");
    expect(promotionTargetLabel({ targetStage: null, targetAlias: "champion" })).toBe("@champion");
  });
});
