import { describe, expect, it } from "vitest";
import { evaluateExpectation, expectationColumn, expectationKwargs } from "./expectations";

const rows = [
  { a: 1, b: "x" },
  { a: 2, b: "y" },
  { a: null, b: "y" },
  { a: 10, b: "z" },
];

describe("evaluateExpectation", () => {
  it("counts nulls against all rows", () => {
    expect(
      evaluateExpectation({ type: "expect_column_values_to_not_be_null", column: "a" }, rows, 4),
    ).toEqual({
      success: false,
      observedValue: 25,
      elementCount: 4,
      unexpectedCount: 1,
      unexpectedPercent: 25,
    });
    expect(
      evaluateExpectation({ type: "expect_column_values_to_not_be_null", column: "a", mostly: 0.75 }, rows, 4)
        .success,
    ).toBe(true);
  });

  it("skips nulls in range, set and uniqueness checks, like Great Expectations", () => {
    expect(
      evaluateExpectation(
        { type: "expect_column_values_to_be_between", column: "a", min_value: 0, max_value: 5 },
        rows,
        4,
      ),
    ).toMatchObject({ success: false, unexpectedCount: 1, unexpectedPercent: 33.3333 });
    expect(
      evaluateExpectation(
        { type: "expect_column_values_to_be_in_set", column: "b", value_set: ["x", "y"] },
        rows,
        4,
      ),
    ).toMatchObject({ unexpectedCount: 1 });
    expect(
      evaluateExpectation({ type: "expect_column_values_to_be_unique", column: "b" }, rows, 4),
    ).toMatchObject({ success: false, unexpectedCount: 2 });
  });

  it("checks aggregates against the batch", () => {
    expect(
      evaluateExpectation(
        { type: "expect_column_mean_to_be_between", column: "a", min_value: 4, max_value: 5 },
        rows,
        4,
      ),
    ).toMatchObject({ success: true, observedValue: 4.333333 });
    expect(
      evaluateExpectation(
        { type: "expect_table_row_count_to_be_between", min_value: 5, max_value: 9 },
        rows,
        4,
      ),
    ).toMatchObject({ success: false, observedValue: 4 });
  });

  it("describes an expectation the way results tables store it", () => {
    const expectation = { type: "expect_column_values_to_be_between", column: "a", min_value: 0 } as const;
    expect(expectationColumn(expectation)).toBe("a");
    expect(expectationKwargs(expectation)).toEqual({ column: "a", min_value: 0 });
    expect(
      expectationColumn({ type: "expect_table_row_count_to_be_between", min_value: 1, max_value: 2 }),
    ).toBeNull();
  });
});
