import type { Cell, DataRow } from "./telco";

/**
 * Great-Expectations-style checks evaluated for real over generated rows, so data-quality results
 * agree with the tables they describe.
 */
export type Expectation =
  | { type: "expect_column_values_to_not_be_null"; column: string; mostly?: number }
  | {
      type: "expect_column_values_to_be_between";
      column: string;
      min_value?: number;
      max_value?: number;
      mostly?: number;
    }
  | { type: "expect_column_values_to_be_in_set"; column: string; value_set: Cell[]; mostly?: number }
  | { type: "expect_column_values_to_be_unique"; column: string }
  | { type: "expect_column_mean_to_be_between"; column: string; min_value: number; max_value: number }
  | { type: "expect_table_row_count_to_be_between"; min_value: number; max_value: number };

export interface ExpectationOutcome {
  success: boolean;
  /** The aggregate for aggregate expectations (mean, row count); the unexpected percent for per-value ones. */
  observedValue: number;
  elementCount: number;
  unexpectedCount: number | null;
  unexpectedPercent: number | null;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

function perValue(
  rows: DataRow[],
  column: string,
  isUnexpected: (value: Cell, index: number) => boolean,
  mostly = 1,
  skipNulls = true,
): ExpectationOutcome {
  const considered = skipNulls
    ? rows.filter((row) => row[column] !== null && row[column] !== undefined)
    : rows;
  const unexpectedCount = considered.filter((row, index) => isUnexpected(row[column], index)).length;
  const unexpectedPercent = considered.length ? round((100 * unexpectedCount) / considered.length) : 0;
  return {
    success: 1 - unexpectedPercent / 100 >= mostly,
    observedValue: unexpectedPercent,
    elementCount: rows.length,
    unexpectedCount,
    unexpectedPercent,
  };
}

/** `rowCount` is the size of the checked batch; `rows` the sample the per-value checks see. */
export function evaluateExpectation(
  expectation: Expectation,
  rows: DataRow[],
  rowCount: number,
): ExpectationOutcome {
  switch (expectation.type) {
    case "expect_column_values_to_not_be_null":
      return perValue(
        rows,
        expectation.column,
        (value) => value === null || value === undefined,
        expectation.mostly,
        false,
      );
    case "expect_column_values_to_be_between": {
      const { min_value = -Infinity, max_value = Infinity } = expectation;
      return perValue(
        rows,
        expectation.column,
        (value) => typeof value !== "number" || value < min_value || value > max_value,
        expectation.mostly,
      );
    }
    case "expect_column_values_to_be_in_set":
      return perValue(
        rows,
        expectation.column,
        (value) => !expectation.value_set.includes(value),
        expectation.mostly,
      );
    case "expect_column_values_to_be_unique": {
      const counts = new Map<Cell, number>();
      for (const row of rows)
        counts.set(row[expectation.column], (counts.get(row[expectation.column]) ?? 0) + 1);
      return perValue(rows, expectation.column, (value) => (counts.get(value) ?? 0) > 1);
    }
    case "expect_column_mean_to_be_between": {
      const values = rows
        .map((row) => row[expectation.column])
        .filter((value): value is number => typeof value === "number");
      const mean = values.length ? round(values.reduce((sum, v) => sum + v, 0) / values.length, 6) : NaN;
      return {
        success: mean >= expectation.min_value && mean <= expectation.max_value,
        observedValue: mean,
        elementCount: rows.length,
        unexpectedCount: null,
        unexpectedPercent: null,
      };
    }
    case "expect_table_row_count_to_be_between":
      return {
        success: rowCount >= expectation.min_value && rowCount <= expectation.max_value,
        observedValue: rowCount,
        elementCount: rowCount,
        unexpectedCount: null,
        unexpectedPercent: null,
      };
  }
}

/** The column an expectation checks, or null for table-level ones. */
export const expectationColumn = (expectation: Expectation) =>
  "column" in expectation ? expectation.column : null;

/** GE's kwargs, as stored in results tables. */
export function expectationKwargs(expectation: Expectation): Record<string, unknown> {
  const { type: _type, ...kwargs } = expectation;
  return kwargs;
}
