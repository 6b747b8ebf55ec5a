import { describe, expect, it } from "vitest";
import { AppError, isAppError } from "./errors";

describe("isAppError", () => {
  it("recognises an AppError made by another copy of this module (bundlers may load it twice)", () => {
    class OtherCopyAppError extends Error {
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
        this.name = "AppError";
      }
    }
    expect(isAppError(new AppError("FORBIDDEN", "no"))).toBe(true);
    expect(isAppError(new OtherCopyAppError("FORBIDDEN", "no"))).toBe(true);
    expect(isAppError(new OtherCopyAppError("SOMETHING_ELSE", "no"))).toBe(false);
    expect(isAppError(new Error("plain"))).toBe(false);
    expect(isAppError({ name: "AppError", code: "FORBIDDEN" })).toBe(false);
  });
});
