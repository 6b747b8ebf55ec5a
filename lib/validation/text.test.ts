import { describe, expect, it } from "vitest";
import { findUnsafeText, textProblem } from "./text";

describe("textProblem", () => {
  it("accepts ordinary text, quotes and whole emoji", () => {
    for (const text of ["O'Brien", "churn-classifier", "naïve 😀", ""]) expect(textProblem(text)).toBeNull();
  });

  it("refuses NUL, lone surrogates of either half, and text past the limit", () => {
    for (const text of ["a\u0000b", "\uD83D", "x\uDE00", "\uDE00\uD83D"])
      expect(textProblem(text)).toMatch(/NUL character or broken Unicode/);
    expect(textProblem("x".repeat(11), 10)).toBe("at most 10 characters");
  });
});

describe("findUnsafeText", () => {
  it("names the path of the first bad string or key, however it is nested", () => {
    expect(findUnsafeText({ cluster: { workers: [{ name: "ok" }, { name: "bad\u0000" }] } })).toEqual({
      path: ["cluster", "workers", 1, "name"],
      message: expect.stringMatching(/NUL/),
    });
    expect(findUnsafeText({ ["key\uD800"]: 1 })?.path).toEqual(["key\uD800"]);
    expect(findUnsafeText({ a: 1, b: [true, null, "fine"] })).toBeNull();
  });

  it("stops at a depth no input of ours reaches instead of overflowing the stack", () => {
    const deep = JSON.parse(`${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    expect(findUnsafeText(deep)?.message).toMatch(/nested more than 32 levels/);
  });
});
