import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { churnLabelRow, customerFeatureRows } from "@/sandbox/data/telco";
import { findTable } from "@/sandbox/unity-catalog/estate";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { contractWorkspace, rejectionOf as rejection } from "@/lib/testing/contract";
import { createSqlClient, quoteTableName, SqlStatementError } from ".";

const workspace = contractWorkspace();
const realWorkspace = workspace?.warehouseId
  ? { ...workspace, warehouseId: workspace.warehouseId }
  : undefined;
if (!realWorkspace)
  console.info(
    "SQL contract tests against a real workspace are skipped: set DATABRICKS_CONTRACT_HOST, DATABRICKS_CONTRACT_TOKEN and DATABRICKS_CONTRACT_WAREHOUSE_ID to run them.",
  );

describe("SQL client against the sandbox warehouse", () => {
  let sandbox: RunningSandbox;
  const sleeps: number[] = [];
  const client = (options: { statementTimeoutMs?: number } = {}) =>
    createSqlClient({
      baseUrl: sandbox.url,
      getToken: async () => sandbox.token,
      warehouseId: "5a1f0c7e9b2d4e61",
      pollIntervalMs: 50,
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
      ...options,
    });

  beforeAll(async () => {
    // Speed 1: a statement queues for 0.3 s and runs for at least 0.7 s, long enough to poll and cancel.
    sandbox = await startSandbox({ speed: 1 });
  });
  afterAll(() => sandbox?.close());

  it("counts rows as the generators define them", async () => {
    expect(await client().countRows("main.features.customer_features")).toBe(20_000);
    expect(await client().countRows("raw.telco_raw.cdr_events")).toBe(
      findTable("raw.telco_raw.cdr_events")!.rowCount(),
    );
  });

  it("samples typed rows equal to the generator's", async () => {
    const sample = await client().sampleRows("ml.training.churn_training_set", 5);
    expect(sample.rows).toEqual(customerFeatureRows(5));
    expect(sample.columns.find((c) => c.name === "monthly_charges")).toMatchObject({
      typeName: "DOUBLE",
      typeText: "DOUBLE",
    });
  });

  it("polls a statement submitted without waiting until it succeeds", async () => {
    sleeps.length = 0;
    const result = await client().executeStatement({
      statement: "SELECT customer_id, churned FROM main.labels.churn_labels LIMIT 3",
      waitTimeout: 0,
    });
    expect(sleeps.length).toBeGreaterThan(1);
    expect(result.rows).toEqual(
      [0, 1, 2].map((i) => [churnLabelRow(i).customer_id, churnLabelRow(i).churned]),
    );
  });

  it("reads every result chunk of a larger result", async () => {
    const result = await client().executeStatement({
      statement: "SELECT * FROM main.labels.churn_labels LIMIT 2500",
    });
    expect(result.rows).toHaveLength(2500);
    const names = result.columns.map((c) => c.name);
    for (const i of [0, 999, 1000, 2499])
      expect(Object.fromEntries(names.map((n, k) => [n, result.rows[i][k]]))).toEqual(churnLabelRow(i));
    const raw = await (
      await fetch(`${sandbox.url}/api/2.0/sql/statements/${result.statementId}`, {
        headers: { authorization: `Bearer ${sandbox.token}` },
      })
    ).json();
    expect(raw.manifest).toMatchObject({ total_chunk_count: 3, total_row_count: 2500, truncated: false });
    expect(raw.result).toMatchObject({ chunk_index: 0, row_count: 1000, next_chunk_index: 1 });
  });

  it("reads a table's data-quality results with a bound parameter, ordered by time", async () => {
    const result = await client().executeStatement({
      statement:
        "SELECT table_name, expectation_type, column_name, success, observed_value, checked_at FROM main.quality.expectation_results WHERE table_name = :table ORDER BY checked_at",
      parameters: [{ name: "table", value: "raw.telco_raw.cdr_events" }],
    });
    const source = findTable("main.quality.expectation_results")!;
    const expected = Array.from({ length: source.rowCount() }, (_, i) => source.rowAt(i)).filter(
      (r) => r.table_name === "raw.telco_raw.cdr_events",
    );
    expect(result.rows).toHaveLength(expected.length);
    expect(
      result.rows.every(
        ([table, , , success]) => table === "raw.telco_raw.cdr_events" && typeof success === "boolean",
      ),
    ).toBe(true);
    const times = result.rows.map((r) => Date.parse(String(r[5])));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const nullCheckFailure = result.rows.find(
      ([, type, column, success]) =>
        type === "expect_column_values_to_not_be_null" && column === "cell_id" && success === false,
    );
    expect(nullCheckFailure?.[4]).toBeGreaterThan(1);
  });

  it("reads a table's expectation results newest first through the convenience call", async () => {
    const results = await client().expectationResults("main.network.cell_kpis_hourly", { limit: 9 });
    expect(results).toHaveLength(9);
    expect(results.map((r) => r.checkedAt)).toEqual(
      results
        .map((r) => r.checkedAt)
        .sort()
        .reverse(),
    );
    expect(results[0]).toMatchObject({
      expectationType: expect.stringMatching(/^expect_/),
      success: expect.any(Boolean),
      elementCount: expect.any(Number),
    });
    const availability = await client().expectationResults("main.network.cell_kpis_hourly", { limit: 90 });
    expect(
      availability.filter((r) => r.column === "availability" && !r.success).length,
    ).toBeGreaterThanOrEqual(3);
    expect(await client().expectationResults("main.features.x'OR'1'='1")).toEqual([]);
  });

  it("reports a bad statement with Databricks' error class and SQLSTATE", async () => {
    const syntax = await rejection(
      client().executeStatement({ statement: "SELEC * FROM main.labels.churn_labels" }),
    );
    expect(syntax).toBeInstanceOf(SqlStatementError);
    expect(syntax).toMatchObject({
      state: "FAILED",
      errorCode: "BAD_REQUEST",
      errorClass: "PARSE_SYNTAX_ERROR",
      sqlState: "42601",
    });
    const missing = await rejection(client().countRows("main.features.no_such_table"));
    expect(missing).toMatchObject({ errorClass: "TABLE_OR_VIEW_NOT_FOUND", isNotFound: true });
    const unbound = await rejection(
      client().executeStatement({
        statement: "SELECT * FROM main.labels.churn_labels WHERE customer_id = :id",
      }),
    );
    expect(unbound).toMatchObject({ errorClass: "UNBOUND_SQL_PARAMETER" });
  });

  it("flags results cut by row_limit as truncated", async () => {
    const result = await client().executeStatement({
      statement: "SELECT customer_id FROM main.labels.churn_labels LIMIT 10",
      rowLimit: 3,
    });
    expect(result).toMatchObject({ truncated: true });
    expect(result.rows).toHaveLength(3);
  });

  it("cancels a statement that outlives its time budget", async () => {
    const error = await rejection(
      client({ statementTimeoutMs: 100 }).executeStatement({
        statement: "SELECT COUNT(*) FROM main.labels.churn_labels",
        waitTimeout: 0,
      }),
    );
    expect(error).toMatchObject({ errorCode: "DEADLINE_EXCEEDED" });
    const statementId = (error as SqlStatementError).statementId;
    const raw = await (
      await fetch(`${sandbox.url}/api/2.0/sql/statements/${statementId}`, {
        headers: { authorization: `Bearer ${sandbox.token}` },
      })
    ).json();
    expect(raw.status.state).toBe("CANCELED");
    expect(raw.result).toBeUndefined();
  });

  it("retries a submission refused with 429, honouring Retry-After", async () => {
    sleeps.length = 0;
    await sandbox.injectFaults([
      { path: "^/api/2.0/sql/statements$", method: "POST", status: 429, retryAfterSeconds: 1, times: 1 },
    ]);
    expect(await client().countRows("main.labels.churn_labels")).toBe(20_000);
    expect(sleeps[0]).toBe(1000);
  });

  it("validates and quotes table names instead of splicing them into SQL", async () => {
    expect(quoteTableName("main.features.customer_features")).toBe("`main`.`features`.`customer_features`");
    expect(quoteTableName("main.odd`name.t")).toBe("`main`.`odd``name`.`t`");
    await expect(client().sampleRows("main.features", 5)).rejects.toThrow(/catalog\.schema\.table/);
    expect(await rejection(client().countRows("main.features.x;DROP_TABLE_y"))).toMatchObject({
      errorClass: "TABLE_OR_VIEW_NOT_FOUND",
    });
    await expect(client().countRows("main.features.x; DROP TABLE y")).rejects.toThrow(
      /catalog\.schema\.table/,
    );
    await expect(client().sampleRows("main.features.customer_features", -1)).rejects.toThrow(/sample size/);
  });
});

describe.skipIf(!realWorkspace)("SQL client against a real warehouse (DATABRICKS_CONTRACT_HOST)", () => {
  const sql = () =>
    createSqlClient({
      baseUrl: realWorkspace!.baseUrl,
      getToken: async () => realWorkspace!.token,
      warehouseId: realWorkspace!.warehouseId,
    });

  it("returns typed values, fails bad statements, and reports missing tables", async () => {
    const result = await sql().executeStatement({
      statement: "SELECT 1 AS one, 'a' AS letter, true AS flag, CAST(NULL AS STRING) AS nothing",
    });
    expect(result.rows).toEqual([[1, "a", true, null]]);
    expect(await rejection(sql().executeStatement({ statement: "SELEC 1" }))).toMatchObject({
      state: "FAILED",
      errorClass: "PARSE_SYNTAX_ERROR",
    });
    expect(await rejection(sql().countRows("main.default.switchboard_contract_no_such_table"))).toMatchObject(
      { isNotFound: true },
    );
    const table = process.env.DATABRICKS_CONTRACT_TABLE;
    if (!table)
      return console.info(
        "set DATABRICKS_CONTRACT_TABLE to also check countRows and sampleRows on a real table",
      );
    const count = await sql().countRows(table);
    const sample = await sql().sampleRows(table, 3);
    expect(sample.rows.length).toBe(Math.min(3, count));
  });
});
