import { z } from "zod";
import { CloudApiError, ContractError, createHttpClient, type HttpClientOptions } from "../http";
import { parseTableName } from "../unity-catalog";

/**
 * Databricks SQL Statement Execution API (INLINE + JSON_ARRAY): submits a statement, polls it to a
 * terminal state, follows result chunks and converts the string cells to typed values.
 */

export interface SqlClientOptions extends Omit<HttpClientOptions, "service" | "parseError"> {
  /** Used when a call does not name its own warehouse. */
  warehouseId?: string;
  /** Give up (and cancel the statement) after this long in total. */
  statementTimeoutMs?: number;
  /** First poll delay; grows by half each poll up to maxPollIntervalMs. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

export type SqlValue = string | number | bigint | boolean | null;

export interface SqlParameter {
  name: string;
  value: string | number | boolean | null;
  /** SQL type the value is cast to, e.g. INT, DATE; the API treats untyped values as STRING. */
  type?: string;
}

export interface ExecuteStatementInput {
  statement: string;
  warehouseId?: string;
  parameters?: SqlParameter[];
  /** Seconds the server waits before answering: 0, or 5 to 50 (Databricks' default is 10). */
  waitTimeout?: number;
  catalog?: string;
  schema?: string;
  rowLimit?: number;
  signal?: AbortSignal;
}

export interface SqlColumn {
  name: string;
  typeName: string;
  typeText: string;
  position: number;
}

export interface StatementResult {
  statementId: string;
  columns: SqlColumn[];
  rows: SqlValue[][];
  /** The result was cut by row_limit (or the server's byte limit). */
  truncated: boolean;
}

/** A statement the warehouse accepted but did not finish: it FAILED, was CANCELED or CLOSED. */
export class SqlStatementError extends CloudApiError {
  constructor(
    readonly statementId: string,
    readonly state: string,
    errorCode: string,
    /** The warehouse's own message, e.g. "[TABLE_OR_VIEW_NOT_FOUND] The table or view ... SQLSTATE: 42P01". */
    readonly serverMessage: string,
  ) {
    super("Databricks SQL", 0, errorCode, serverMessage, false);
    this.name = "SqlStatementError";
  }

  /** Databricks' error class, e.g. TABLE_OR_VIEW_NOT_FOUND. */
  get errorClass(): string | undefined {
    return /^\[([A-Z0-9_.]+)\]/.exec(this.serverMessage)?.[1];
  }

  get sqlState(): string | undefined {
    return /SQLSTATE: ([0-9A-Z]{5})/.exec(this.serverMessage)?.[1];
  }

  override get isNotFound() {
    return this.errorClass === "TABLE_OR_VIEW_NOT_FOUND";
  }
}

const states = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED", "CLOSED"] as const;

const resultDataSchema = z.object({
  chunk_index: z.number().int().optional(),
  row_offset: z.number().int().optional(),
  row_count: z.number().int().optional(),
  data_array: z.array(z.array(z.string().nullable())).optional(),
  next_chunk_index: z.number().int().optional(),
});

const statementSchema = z.object({
  statement_id: z.string(),
  status: z.object({
    state: z.enum(states),
    error: z.object({ error_code: z.string().optional(), message: z.string().optional() }).optional(),
  }),
  manifest: z
    .object({
      format: z.string().optional(),
      schema: z.object({
        column_count: z.number().int().optional(),
        columns: z
          .array(
            z.object({
              name: z.string(),
              type_name: z.string().optional(),
              type_text: z.string().optional(),
              position: z.number().int().optional(),
            }),
          )
          .optional(),
      }),
      total_chunk_count: z.number().int().optional(),
      total_row_count: z.number().int().optional(),
      truncated: z.boolean().optional(),
    })
    .optional(),
  result: resultDataSchema.optional(),
});

type StatementResponse = z.infer<typeof statementSchema>;

const integerTypes = new Set(["BYTE", "SHORT", "INT", "LONG"]);
const decimalTypes = new Set(["FLOAT", "DOUBLE", "DECIMAL"]);

/** JSON_ARRAY cells are strings; numbers and booleans become values, dates and timestamps stay ISO strings. */
export function convertCell(typeName: string, cell: string | null): SqlValue {
  if (cell === null) return null;
  if (integerTypes.has(typeName)) {
    const value = Number(cell);
    return Number.isSafeInteger(value) ? value : BigInt(cell);
  }
  if (decimalTypes.has(typeName)) return Number(cell);
  if (typeName === "BOOLEAN") return cell === "true";
  return cell;
}

/** Backtick-quotes each part of a validated catalog.schema.table name for Databricks SQL. */
export function quoteTableName(fullName: string): string {
  const { catalog, schema, table } = parseTableName(fullName);
  return [catalog, schema, table].map((part) => `\`${part.replaceAll("`", "``")}\``).join(".");
}

const terminal = new Set(["SUCCEEDED", "FAILED", "CANCELED", "CLOSED"]);

export function createSqlClient(options: SqlClientOptions) {
  const http = createHttpClient({ ...options, service: "Databricks SQL" });
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const statementTimeoutMs = options.statementTimeoutMs ?? 300_000;
  const maxPollIntervalMs = options.maxPollIntervalMs ?? 5_000;

  const getStatement = (statementId: string, signal?: AbortSignal) =>
    http.request("GET", `/api/2.0/sql/statements/${encodeURIComponent(statementId)}`, {
      schema: statementSchema,
      signal,
    });
  const cancelStatement = (statementId: string) =>
    http.request("POST", `/api/2.0/sql/statements/${encodeURIComponent(statementId)}/cancel`, {
      schema: z.unknown(),
      idempotent: true,
    });

  async function readRows(response: StatementResponse, signal?: AbortSignal): Promise<(string | null)[][]> {
    const total = response.manifest?.total_chunk_count ?? (response.result ? 1 : 0);
    const rows: (string | null)[][] = [...(response.result?.data_array ?? [])];
    let next = response.result
      ? (response.result.next_chunk_index ?? (total > 1 ? 1 : undefined))
      : total > 0
        ? 0
        : undefined;
    while (next !== undefined) {
      const chunk = await http.request(
        "GET",
        `/api/2.0/sql/statements/${encodeURIComponent(response.statement_id)}/result/chunks/${next}`,
        { schema: resultDataSchema, signal },
      );
      rows.push(...(chunk.data_array ?? []));
      next = chunk.next_chunk_index ?? (next + 1 < total ? next + 1 : undefined);
    }
    const expected = response.manifest?.total_row_count;
    if (expected !== undefined && expected !== rows.length) {
      throw new ContractError(
        "Databricks SQL",
        `/api/2.0/sql/statements/${response.statement_id}`,
        `manifest announced ${expected} rows, chunks held ${rows.length}`,
      );
    }
    return rows;
  }

  async function executeStatement(input: ExecuteStatementInput): Promise<StatementResult> {
    const warehouseId = input.warehouseId ?? options.warehouseId;
    if (!warehouseId)
      throw new Error("executeStatement needs a warehouseId (per call or in createSqlClient options)");
    const waitTimeout = input.waitTimeout ?? 10;
    if (!(waitTimeout === 0 || (Number.isInteger(waitTimeout) && waitTimeout >= 5 && waitTimeout <= 50)))
      throw new Error(`waitTimeout must be 0 or 5-50 seconds, got ${waitTimeout}`);
    const deadline = Date.now() + statementTimeoutMs;

    let response = await http.request("POST", "/api/2.0/sql/statements", {
      body: {
        warehouse_id: warehouseId,
        statement: input.statement,
        wait_timeout: `${waitTimeout}s`,
        on_wait_timeout: "CONTINUE",
        format: "JSON_ARRAY",
        disposition: "INLINE",
        ...(input.rowLimit !== undefined ? { row_limit: input.rowLimit } : {}),
        ...(input.catalog ? { catalog: input.catalog } : {}),
        ...(input.schema ? { schema: input.schema } : {}),
        ...(input.parameters?.length
          ? {
              parameters: input.parameters.map((p) => ({
                name: p.name,
                value: p.value === null ? null : String(p.value),
                ...(p.type ? { type: p.type } : {}),
              })),
            }
          : {}),
      },
      schema: statementSchema,
      signal: input.signal,
    });

    let delay = options.pollIntervalMs ?? 250;
    while (!terminal.has(response.status.state)) {
      if (input.signal?.aborted || Date.now() + delay > deadline) {
        await cancelStatement(response.statement_id).catch(() => undefined);
        if (input.signal?.aborted) throw input.signal.reason;
        throw new SqlStatementError(
          response.statement_id,
          response.status.state,
          "DEADLINE_EXCEEDED",
          `statement ${response.statement_id} still ${response.status.state} after ${statementTimeoutMs} ms; canceled`,
        );
      }
      await sleep(delay);
      delay = Math.min(maxPollIntervalMs, Math.round(delay * 1.5));
      response = await getStatement(response.statement_id, input.signal);
    }

    const { state, error } = response.status;
    if (state !== "SUCCEEDED") {
      throw new SqlStatementError(
        response.statement_id,
        state,
        error?.error_code ?? state,
        error?.message ?? `statement ${response.statement_id} ended ${state}`,
      );
    }
    if (!response.manifest)
      throw new ContractError(
        "Databricks SQL",
        `/api/2.0/sql/statements/${response.statement_id}`,
        "SUCCEEDED without a manifest",
      );
    const columns = (response.manifest.schema.columns ?? []).map((c, i) => ({
      name: c.name,
      typeName: c.type_name ?? "STRING",
      typeText: c.type_text ?? c.type_name ?? "STRING",
      position: c.position ?? i,
    }));
    const rows = (await readRows(response, input.signal)).map((row) =>
      row.map((cell, i) => convertCell(columns[i]?.typeName ?? "STRING", cell)),
    );
    return {
      statementId: response.statement_id,
      columns,
      rows,
      truncated: response.manifest.truncated ?? false,
    };
  }

  return {
    executeStatement,

    /** The first `count` rows of a table, each as an object keyed by column name. */
    async sampleRows(
      table: string,
      count: number,
      callOptions: { warehouseId?: string; signal?: AbortSignal } = {},
    ) {
      if (!Number.isInteger(count) || count < 0 || count > 10_000)
        throw new Error(`sample size must be an integer from 0 to 10000, got ${count}`);
      const result = await executeStatement({
        ...callOptions,
        statement: `SELECT * FROM ${quoteTableName(table)} LIMIT ${count}`,
      });
      return {
        columns: result.columns,
        rows: result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]]))),
      };
    },

    async countRows(
      table: string,
      callOptions: { warehouseId?: string; signal?: AbortSignal } = {},
    ): Promise<number> {
      const result = await executeStatement({
        ...callOptions,
        statement: `SELECT COUNT(*) AS row_count FROM ${quoteTableName(table)}`,
      });
      const count = result.rows[0]?.[0];
      if (typeof count !== "number" && typeof count !== "bigint")
        throw new ContractError(
          "Databricks SQL",
          "/api/2.0/sql/statements",
          `COUNT(*) returned ${String(count)}`,
        );
      return Number(count);
    },

    /**
     * Great-Expectations-style results recorded for `table`, newest first, from a results table
     * with the columns of the sandbox's main.quality.expectation_results.
     */
    async expectationResults(
      table: string,
      callOptions: { resultsTable?: string; limit?: number; warehouseId?: string; signal?: AbortSignal } = {},
    ): Promise<ExpectationResult[]> {
      const { resultsTable = "main.quality.expectation_results", limit = 500, ...rest } = callOptions;
      parseTableName(table);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new Error(`limit must be an integer from 1 to 10000, got ${limit}`);
      const result = await executeStatement({
        ...rest,
        statement: `SELECT run_id, expectation_type, column_name, success, observed_value, unexpected_percent, element_count, checked_at FROM ${quoteTableName(resultsTable)} WHERE table_name = :table_name ORDER BY checked_at DESC LIMIT ${limit}`,
        parameters: [{ name: "table_name", value: table }],
      });
      return result.rows.map(
        ([
          runId,
          expectationType,
          column,
          success,
          observedValue,
          unexpectedPercent,
          elementCount,
          checkedAt,
        ]) => ({
          runId: String(runId),
          expectationType: String(expectationType),
          column: column === null ? null : String(column),
          success: success === true,
          observedValue: observedValue === null ? null : Number(observedValue),
          unexpectedPercent: unexpectedPercent === null ? null : Number(unexpectedPercent),
          elementCount: Number(elementCount),
          checkedAt: String(checkedAt),
        }),
      );
    },

    cancelStatement,
  };
}

export interface ExpectationResult {
  runId: string;
  expectationType: string;
  /** Null for table-level expectations such as row counts. */
  column: string | null;
  success: boolean;
  /** The aggregate (mean, row count) or, for per-value expectations, the unexpected percent. */
  observedValue: number | null;
  unexpectedPercent: number | null;
  elementCount: number;
  /** ISO timestamp of the validation run. */
  checkedAt: string;
}

export type SqlClient = ReturnType<typeof createSqlClient>;
