import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps a path on this site with its query", () => {
    expect(safeCallbackPath("/runs?status=RUNNING#top")).toBe("/runs?status=RUNNING#top");
    expect(safeCallbackPath(["/approvals", "/other"])).toBe("/approvals");
  });

  it("sends everything that would leave the site home (issue 11's open redirect)", () => {
    for (const value of [
      "/\\evil.example/",
      "/\t/evil.example",
      "//evil.example",
      "/\\/evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "",
      undefined,
    ]) {
      expect(safeCallbackPath(value)).toBe("/");
    }
  });
});
