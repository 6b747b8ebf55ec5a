import { describe, expect, it } from "vitest";
import { customerFeatureRow } from "../data/telco";
import { customerCount, customerDatasets, findTable } from "./estate";
import { executeStatement } from "./sql-engine";
import { parseSelect, SqlError } from "./sql-parser";

const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof SqlError) return error;
    throw error;
  }
  throw new Error("expected a SqlError");
};

describe("parseSelect", () => {
  it("parses the statements Switchboard sends", () => {
    expect(parseSelect("SELECT * FROM `main`.`features`.`customer_features` LIMIT 10")).toEqual({
      projection: { kind: "all" },
      table: ["main", "features", "customer_features"],
      where: [],
      orderBy: [],
      limit: { kind: "literal", value: 10 },
    });
    expect(parseSelect("select count(*) as n from main.labels.churn_labels;").projection).toEqual({
      kind: "count",
      alias: "n",
    });
    const quality = parseSelect(
      "SELECT run_id, success FROM main.quality.expectation_results WHERE table_name = :table AND checked_at >= '2026-10-05' ORDER BY checked_at DESC, run_id LIMIT 50",
    );
    expect(quality.where).toEqual([
      { column: "table_name", operator: "=", operand: { kind: "parameter", name: "table" } },
      { column: "checked_at", operator: ">=", operand: { kind: "literal", value: "2026-10-05" } },
    ]);
    expect(quality.orderBy).toEqual([
      { column: "checked_at", descending: true },
      { column: "run_id", descending: false },
    ]);
  });

  it("reads quoted identifiers and escaped quotes", () => {
    expect(
      parseSelect("SELECT * FROM `we``ird` WHERE a = 'it''s' AND b IN (1, -2.5) AND c IS NOT NULL"),
    ).toMatchObject({
      table: ["we`ird"],
      where: [
        { operator: "=", operand: { value: "it's" } },
        { operator: "IN", operands: [{ value: 1 }, { value: -2.5 }] },
        { operator: "IS NOT NULL" },
      ],
    });
  });

  it("fails like Databricks SQL on bad syntax and names unsupported clauses", () => {
    expect(errorOf(() => parseSelect("SELEC * FROM t")).message).toBe(
      "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601",
    );
    expect(errorOf(() => parseSelect("SELECT * FROM")).message).toMatch(/end of input/);
    expect(errorOf(() => parseSelect("SELECT * FROM t LIMIT 5 extra")).message).toMatch(/near 'extra'/);
    expect(errorOf(() => parseSelect("SELECT * FROM a JOIN b")).errorClass).toBe(
      "SANDBOX_UNSUPPORTED_STATEMENT",
    );
    expect(errorOf(() => parseSelect("SELECT * FROM t WHERE a = 'open")).message).toMatch(/unclosed quote/);
    expect(errorOf(() => parseSelect("SELECT * FROM t LIMIT -1")).errorClass).toBe(
      "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
    );
  });
});

describe("executeStatement", () => {
  it("counts the generator's rows", () => {
    const result = executeStatement("SELECT COUNT(*) FROM main.features.customer_features");
    expect(result.columns).toEqual([{ name: "count(1)", typeName: "LONG", typeText: "BIGINT" }]);
    expect(result.rows).toEqual([[String(customerCount)]]);
    expect(executeStatement("SELECT COUNT(*) FROM raw.telco_raw.cdr_events").rows[0][0]).toBe(
      String(findTable("raw.telco_raw.cdr_events")!.rowCount()),
    );
  });

  it("returns the generator's first rows as strings", () => {
    const result = executeStatement("SELECT * FROM ml.training.churn_training_set LIMIT 3");
    expect(result.rows).toHaveLength(3);
    const tenure = result.columns.findIndex((c) => c.name === "tenure_months");
    const charges = result.columns.findIndex((c) => c.name === "monthly_charges");
    expect(result.columns[tenure]).toEqual({ name: "tenure_months", typeName: "INT", typeText: "INT" });
    result.rows.forEach((row, i) => {
      expect(row[tenure]).toBe(String(customerFeatureRow(i).tenure_months));
      expect(Number(row[charges])).toBe(customerFeatureRow(i).monthly_charges);
    });
  });

  it("resolves unqualified names against the request's catalog and schema", () => {
    expect(
      executeStatement("SELECT COUNT(*) FROM churn_labels", { catalog: "main", schema: "labels" }).rows,
    ).toEqual([["20000"]]);
    expect(errorOf(() => executeStatement("SELECT * FROM churn_labels")).message).toMatch(
      /`main`.`default`.`churn_labels` cannot be found/,
    );
  });

  it("filters, orders and binds parameters on the quality results", () => {
    const result = executeStatement(
      "SELECT table_name, success, checked_at FROM main.quality.expectation_results WHERE table_name = :t AND success = false ORDER BY checked_at DESC",
      { parameters: [{ name: "t", value: "raw.telco_raw.cdr_events" }] },
    );
    expect(result.rows.length).toBeGreaterThan(0);
    expect(
      result.rows.every(([table, success]) => table === "raw.telco_raw.cdr_events" && success === "false"),
    ).toBe(true);
    const times = result.rows.map((r) => Date.parse(r[2]!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("applies row_limit with the truncated flag", () => {
    const result = executeStatement("SELECT customer_id FROM main.labels.churn_labels LIMIT 10", {
      rowLimit: 4,
    });
    expect(result.rows).toHaveLength(4);
    expect(result.truncated).toBe(true);
    expect(
      executeStatement("SELECT customer_id FROM main.labels.churn_labels LIMIT 3", { rowLimit: 4 }).truncated,
    ).toBe(false);
  });

  it("explains unknown columns, unbound parameters and malformed casts", () => {
    expect(
      errorOf(() => executeStatement("SELECT tenure FROM main.features.customer_features")).message,
    ).toMatch(/name `tenure` cannot be resolved.*`tenure_months`/);
    expect(
      errorOf(() => executeStatement("SELECT * FROM main.labels.churn_labels WHERE customer_id = :id"))
        .errorClass,
    ).toBe("UNBOUND_SQL_PARAMETER");
    expect(
      errorOf(() => executeStatement("SELECT * FROM main.labels.churn_labels WHERE churned = 'yes'"))
        .errorClass,
    ).toBe("CAST_INVALID_INPUT");
    expect(
      errorOf(() => executeStatement("SELECT * FROM raw.telco_raw.cdr_events WHERE duration_s > 10"))
        .errorClass,
    ).toBe("SANDBOX_SCAN_LIMIT");
  });
});

describe("customerDatasets", () => {
  it("describes exactly the rows the tables hold", () => {
    for (const [name, { offset, count }] of Object.entries(customerDatasets)) {
      const table = findTable(name)!;
      expect(table.rowCount()).toBe(count);
      for (const i of [0, count - 1])
        expect(table.rowAt(i).customer_id).toBe(customerFeatureRow(offset + i).customer_id);
      expect(table.rowAt(7).tenure_months).toBe(customerFeatureRow(offset + 7).tenure_months);
    }
  });
});
