import { describe, expect, it } from "vitest";
import { convertCell, quoteTableName, SqlStatementError } from ".";

describe("convertCell", () => {
  it("turns JSON_ARRAY strings into typed values", () => {
    expect(convertCell("INT", "42")).toBe(42);
    expect(convertCell("LONG", "9007199254740993")).toBe(9007199254740993n);
    expect(convertCell("DOUBLE", "43.0")).toBe(43);
    expect(convertCell("DOUBLE", "NaN")).toBeNaN();
    expect(convertCell("BOOLEAN", "false")).toBe(false);
    expect(convertCell("TIMESTAMP", "2026-10-01T00:00:00.000Z")).toBe("2026-10-01T00:00:00.000Z");
    expect(convertCell("STRING", null)).toBeNull();
  });
});

describe("quoteTableName", () => {
  it("quotes each part and refuses anything but catalog.schema.table", () => {
    expect(quoteTableName("a.b.c")).toBe("`a`.`b`.`c`");
    expect(() => quoteTableName("a.b")).toThrow();
    expect(() => quoteTableName("a.b.c.d")).toThrow();
    expect(() => quoteTableName("a..c")).toThrow();
    expect(() => quoteTableName("a.b.c\n")).toThrow();
    expect(() => quoteTableName("a.b.c d")).toThrow();
  });
});

describe("SqlStatementError", () => {
  it("reads the error class and SQLSTATE from the warehouse's message", () => {
    const error = new SqlStatementError(
      "s1",
      "FAILED",
      "BAD_REQUEST",
      "[TABLE_OR_VIEW_NOT_FOUND] The table or view `a`.`b`.`c` cannot be found. SQLSTATE: 42P01",
    );
    expect(error).toMatchObject({
      errorClass: "TABLE_OR_VIEW_NOT_FOUND",
      sqlState: "42P01",
      isNotFound: true,
      retryable: false,
    });
  });
});
