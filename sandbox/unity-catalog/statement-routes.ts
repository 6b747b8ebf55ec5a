import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { z } from "zod";
import { ApiError } from "../lib/errors";
import { executeStatement, type StatementResult } from "./sql-engine";
import { SqlError } from "./sql-parser";

/**
 * The SQL Statement Execution API (`/api/2.0/sql/statements`, shapes from databricks-sdk-py
 * service/sql.py): INLINE + JSON_ARRAY only. A statement's result is computed at submission and
 * stored with its timeline, so its state (PENDING, RUNNING, then SUCCEEDED or FAILED) is a function
 * of the clock and the sandbox's speed, and survives restarts.
 */

export const chunkRowCount = 1000;
/** Results are kept for an hour after the statement finishes, then the statement is CLOSED. */
const resultRetentionMs = 3_600_000;
const queueMs = 300;
const baseRunMs = 700;

export async function ensureStatementSchema(pool: pg.Pool) {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS uc_statements (
      statement_id text PRIMARY KEY,
      warehouse_id text NOT NULL,
      statement text NOT NULL,
      submitted_at timestamptz NOT NULL,
      running_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('SUCCEEDED', 'FAILED')),
      error jsonb,
      manifest jsonb,
      canceled_at timestamptz
    );
    CREATE TABLE IF NOT EXISTS uc_statement_chunks (
      statement_id text NOT NULL REFERENCES uc_statements (statement_id) ON DELETE CASCADE,
      chunk_index integer NOT NULL,
      row_offset bigint NOT NULL,
      data_array jsonb NOT NULL,
      PRIMARY KEY (statement_id, chunk_index)
    );
    DELETE FROM uc_statements WHERE finished_at < now() - interval '1 day';
  `);
}

const executeRequest = z.object({
  warehouse_id: z.string({ error: "warehouse_id is required." }).min(1, "warehouse_id is required."),
  statement: z
    .string({ error: "statement is required." })
    .min(1, "statement is required.")
    .max(16 * 1024 * 1024),
  wait_timeout: z
    .string()
    .regex(/^\d+s$/, "wait_timeout must look like '10s'.")
    .default("10s"),
  on_wait_timeout: z.enum(["CONTINUE", "CANCEL"]).default("CONTINUE"),
  format: z.enum(["JSON_ARRAY", "ARROW_STREAM", "CSV"]).default("JSON_ARRAY"),
  disposition: z.enum(["INLINE", "EXTERNAL_LINKS"]).default("INLINE"),
  row_limit: z.number().int().min(0).optional(),
  byte_limit: z.number().int().min(0).optional(),
  catalog: z.string().optional(),
  schema: z.string().optional(),
  parameters: z
    .array(
      z.object({
        name: z.string().min(1),
        value: z.string().nullable().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
});

interface StatementRow {
  statement_id: string;
  running_at: Date;
  finished_at: Date;
  outcome: "SUCCEEDED" | "FAILED";
  error: { error_code: string; message: string } | null;
  manifest: Manifest | null;
  canceled_at: Date | null;
}

interface Manifest {
  format: "JSON_ARRAY";
  schema: {
    column_count: number;
    columns: { name: string; type_name: string; type_text: string; position: number }[];
  };
  total_chunk_count: number;
  total_row_count: number;
  chunks?: { chunk_index: number; row_offset: number; row_count: number }[];
  truncated: boolean;
}

type State = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELED" | "CLOSED";

function stateOf(row: StatementRow, now = Date.now()): State {
  if (row.canceled_at && row.canceled_at < row.finished_at) return "CANCELED";
  if (now < row.running_at.getTime()) return "PENDING";
  if (now < row.finished_at.getTime()) return "RUNNING";
  if (now > row.finished_at.getTime() + resultRetentionMs) return "CLOSED";
  return row.outcome;
}

function manifestOf(result: StatementResult): Manifest {
  const chunks = [];
  for (let offset = 0; offset < result.rows.length; offset += chunkRowCount) {
    chunks.push({
      chunk_index: chunks.length,
      row_offset: offset,
      row_count: Math.min(chunkRowCount, result.rows.length - offset),
    });
  }
  return {
    format: "JSON_ARRAY",
    schema: {
      column_count: result.columns.length,
      columns: result.columns.map((c, position) => ({
        name: c.name,
        type_name: c.typeName,
        type_text: c.typeText,
        position,
      })),
    },
    total_chunk_count: chunks.length,
    total_row_count: result.rows.length,
    // Unverified: how the real service describes an empty result; here no chunks and no result data.
    ...(chunks.length ? { chunks } : {}),
    truncated: result.truncated,
  };
}

async function loadStatement(pool: pg.Pool, statementId: string): Promise<StatementRow> {
  const { rows } = await pool.query<StatementRow>(
    "SELECT statement_id, running_at, finished_at, outcome, error, manifest, canceled_at FROM uc_statements WHERE statement_id = $1",
    [statementId],
  );
  if (!rows[0]) throw new ApiError("NOT_FOUND", `The statement ${statementId} was not found.`, 404);
  return rows[0];
}

function chunkLink(statementId: string, chunkIndex: number, total: number) {
  return chunkIndex + 1 < total
    ? {
        next_chunk_index: chunkIndex + 1,
        next_chunk_internal_link: `/api/2.0/sql/statements/${statementId}/result/chunks/${chunkIndex + 1}`,
      }
    : {};
}

async function loadChunk(pool: pg.Pool, row: StatementRow, chunkIndex: number) {
  const { rows } = await pool.query<{ row_offset: string; data_array: (string | null)[][] }>(
    "SELECT row_offset, data_array FROM uc_statement_chunks WHERE statement_id = $1 AND chunk_index = $2",
    [row.statement_id, chunkIndex],
  );
  if (!rows[0]) return undefined;
  return {
    chunk_index: chunkIndex,
    row_offset: Number(rows[0].row_offset),
    row_count: rows[0].data_array.length,
    data_array: rows[0].data_array,
    ...chunkLink(row.statement_id, chunkIndex, row.manifest?.total_chunk_count ?? 0),
  };
}

async function statementResponse(pool: pg.Pool, row: StatementRow) {
  const state = stateOf(row);
  const status = state === "FAILED" && row.error ? { state, error: row.error } : { state };
  if (state !== "SUCCEEDED") return { statement_id: row.statement_id, status };
  const result = row.manifest?.total_chunk_count ? await loadChunk(pool, row, 0) : undefined;
  return { statement_id: row.statement_id, status, manifest: row.manifest, ...(result ? { result } : {}) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerStatementRoutes(app: FastifyInstance, pool: pg.Pool, speed: () => number) {
  // POST /api/2.0/sql/statements – run a statement, waiting up to wait_timeout for its result
  app.post("/api/2.0/sql/statements", async (request) => {
    const parsed = executeRequest.safeParse(request.body ?? {});
    if (!parsed.success)
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        parsed.error.issues
          .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
          .join("; "),
      );
    const body = parsed.data;
    const waitSeconds = Number(body.wait_timeout.slice(0, -1));
    if (waitSeconds !== 0 && (waitSeconds < 5 || waitSeconds > 50))
      throw new ApiError("INVALID_PARAMETER_VALUE", "wait_timeout must be 0s or between 5s and 50s.");
    if (body.disposition === "INLINE" && body.format !== "JSON_ARRAY")
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `The INLINE disposition supports only the JSON_ARRAY format, not ${body.format}.`,
      );
    if (body.disposition !== "INLINE")
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        "The sandbox warehouse supports only the INLINE disposition.",
      );

    let result: StatementResult | undefined;
    let error: { error_code: string; message: string } | undefined;
    try {
      result = executeStatement(body.statement, {
        catalog: body.catalog,
        schema: body.schema,
        parameters: body.parameters,
        rowLimit: body.row_limit,
      });
    } catch (failure) {
      if (!(failure instanceof SqlError)) throw failure;
      // Like Databricks: the request is accepted (HTTP 200) and the statement itself FAILS.
      error = { error_code: "BAD_REQUEST", message: failure.message };
    }
    const now = Date.now();
    const runningAt = now + queueMs / speed();
    const workMs = baseRunMs + (result ? result.scannedRows * 0.002 + result.rows.length * 0.01 : 0);
    const finishedAt = runningAt + workMs / speed();
    const statementId = randomUUID();
    const manifest = result ? manifestOf(result) : null;

    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        "INSERT INTO uc_statements (statement_id, warehouse_id, statement, submitted_at, running_at, finished_at, outcome, error, manifest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
          statementId,
          body.warehouse_id,
          body.statement,
          new Date(now),
          new Date(runningAt),
          new Date(finishedAt),
          error ? "FAILED" : "SUCCEEDED",
          error ? JSON.stringify(error) : null,
          manifest ? JSON.stringify(manifest) : null,
        ],
      );
      for (const chunk of manifest?.chunks ?? []) {
        await client.query(
          "INSERT INTO uc_statement_chunks (statement_id, chunk_index, row_offset, data_array) VALUES ($1, $2, $3, $4)",
          [
            statementId,
            chunk.chunk_index,
            chunk.row_offset,
            JSON.stringify(result!.rows.slice(chunk.row_offset, chunk.row_offset + chunk.row_count)),
          ],
        );
      }
      await client.query("COMMIT");
    } catch (failure) {
      await client.query("ROLLBACK");
      throw failure;
    } finally {
      client.release();
    }

    const waitUntil = now + waitSeconds * 1000;
    if (finishedAt <= waitUntil) await sleep(Math.max(0, finishedAt - Date.now()));
    else if (waitSeconds > 0) await sleep(Math.max(0, waitUntil - Date.now()));
    let row = await loadStatement(pool, statementId);
    if (
      waitSeconds > 0 &&
      body.on_wait_timeout === "CANCEL" &&
      (stateOf(row) === "PENDING" || stateOf(row) === "RUNNING")
    ) {
      await pool.query("UPDATE uc_statements SET canceled_at = now() WHERE statement_id = $1", [statementId]);
      row = await loadStatement(pool, statementId);
    }
    return statementResponse(pool, row);
  });

  app.get<{ Params: { id: string } }>("/api/2.0/sql/statements/:id", async (request) =>
    statementResponse(pool, await loadStatement(pool, request.params.id)),
  );

  // POST /api/2.0/sql/statements/:id/cancel – best effort, like the real one: a finished statement stays as it is
  app.post<{ Params: { id: string } }>("/api/2.0/sql/statements/:id/cancel", async (request) => {
    const row = await loadStatement(pool, request.params.id);
    const state = stateOf(row);
    if (state === "PENDING" || state === "RUNNING")
      await pool.query(
        "UPDATE uc_statements SET canceled_at = now() WHERE statement_id = $1 AND canceled_at IS NULL",
        [row.statement_id],
      );
    return {};
  });

  app.get<{ Params: { id: string; index: string } }>(
    "/api/2.0/sql/statements/:id/result/chunks/:index",
    async (request) => {
      const row = await loadStatement(pool, request.params.id);
      const state = stateOf(row);
      if (state !== "SUCCEEDED")
        throw new ApiError(
          "BAD_REQUEST",
          `The statement ${row.statement_id} is ${state}; results are available only for SUCCEEDED statements.`,
        );
      const index = Number(request.params.index);
      const chunk = Number.isInteger(index) && index >= 0 ? await loadChunk(pool, row, index) : undefined;
      if (!chunk)
        throw new ApiError(
          "INVALID_PARAMETER_VALUE",
          `Chunk index ${request.params.index} is out of range: the result has ${row.manifest?.total_chunk_count ?? 0} chunks.`,
        );
      return chunk;
    },
  );
}
