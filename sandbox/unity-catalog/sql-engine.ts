import type { Cell, DataColumn, DataRow } from "../data/telco";
import { findTable, sparkTypes } from "./estate";
import {
  parseSelect,
  quoteIdentifier,
  SqlError,
  type Literal,
  type Operand,
  type Predicate,
} from "./sql-parser";

/** Runs a parsed SELECT against the estate's generators: counts are the generator's real counts. */

export interface StatementParameter {
  name: string;
  value?: string | null;
  type?: string;
}

export interface ResultColumn {
  name: string;
  typeName: string;
  /** Upper-case, as the SQL Statement Execution API reports it. */
  typeText: string;
}

export interface StatementResult {
  columns: ResultColumn[];
  /** JSON_ARRAY format: every value as its string representation, or null. */
  rows: (string | null)[][];
  truncated: boolean;
  scannedRows: number;
}

export interface ExecutionContext {
  catalog?: string;
  schema?: string;
  parameters?: StatementParameter[];
  rowLimit?: number;
}

/** Past these the sandbox refuses rather than stalls (generation is synchronous and shares the event loop); real warehouses scale further. */
export const maxScanRows = 100_000;
export const maxInlineRows = 100_000;

const numericTypes = new Set<DataColumn["type"]>(["INT", "LONG", "DOUBLE"]);
const timeTypes = new Set<DataColumn["type"]>(["DATE", "TIMESTAMP"]);

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]++;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function resolveParameter(name: string, parameters: StatementParameter[] = []): Literal {
  const parameter = parameters.find((p) => p.name === name);
  if (!parameter) {
    throw new SqlError(
      "UNBOUND_SQL_PARAMETER",
      `Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as \`map()\`, \`array()\`, \`struct()\`.`,
      "42P02",
    );
  }
  if (parameter.value === undefined || parameter.value === null) return null;
  const type = (parameter.type ?? "STRING").toUpperCase();
  if (/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|LONG|FLOAT|DOUBLE|DECIMAL)/.test(type)) {
    const value = Number(parameter.value);
    if (parameter.value.trim() === "" || Number.isNaN(value))
      throw new SqlError(
        "CAST_INVALID_INPUT",
        `The value '${parameter.value}' of the type "STRING" cannot be cast to "${type}" because it is malformed.`,
        "22018",
      );
    return value;
  }
  if (type === "BOOLEAN") return parameter.value.toLowerCase() === "true";
  return parameter.value;
}

const operandValue = (operand: Operand, parameters?: StatementParameter[]) =>
  operand.kind === "literal" ? operand.value : resolveParameter(operand.name, parameters);

/** Casts a literal to the column's type like Spark's ANSI mode: malformed input is an error, not a silent mismatch. */
function castTo(type: DataColumn["type"], value: Literal): string | number | boolean | null {
  if (value === null) return null;
  const malformed = () =>
    new SqlError(
      "CAST_INVALID_INPUT",
      `The value '${value}' of the type "${typeof value === "number" ? "INT" : "STRING"}" cannot be cast to "${type}" because it is malformed.`,
      "22018",
    );
  if (numericTypes.has(type)) {
    const number = typeof value === "number" ? value : Number(value);
    if (
      typeof value === "boolean" ||
      (typeof value === "string" && value.trim() === "") ||
      Number.isNaN(number)
    )
      throw malformed();
    return number;
  }
  if (timeTypes.has(type)) {
    const ms = Date.parse(String(value));
    if (typeof value !== "string" || Number.isNaN(ms)) throw malformed();
    return ms;
  }
  if (type === "BOOLEAN") {
    if (typeof value === "boolean") return value;
    if (String(value).toLowerCase() === "true" || String(value).toLowerCase() === "false")
      return String(value).toLowerCase() === "true";
    throw malformed();
  }
  return String(value);
}

/** A cell as a comparable value of its column's type. */
const comparable = (type: DataColumn["type"], cell: Cell) =>
  cell === null || cell === undefined ? null : timeTypes.has(type) ? Date.parse(String(cell)) : cell;

const compare = (a: string | number | boolean, b: string | number | boolean) => (a < b ? -1 : a > b ? 1 : 0);

/** Spark's string form of a value in JSON_ARRAY results. */
function formatCell(type: DataColumn["type"], cell: Cell): string | null {
  if (cell === null || cell === undefined) return null;
  if (type === "DOUBLE" && typeof cell === "number" && Number.isInteger(cell)) return `${cell}.0`;
  return String(cell);
}

export function executeStatement(sql: string, context: ExecutionContext = {}): StatementResult {
  const statement = parseSelect(sql);
  const parts = statement.table.map((p) => p.toLowerCase());
  const qualified = [
    ...[context.catalog ?? "main", context.schema ?? "default"].slice(0, 3 - parts.length),
    ...parts,
  ];
  const table = findTable(qualified.join("."));
  if (!table) {
    throw new SqlError(
      "TABLE_OR_VIEW_NOT_FOUND",
      `The table or view ${qualified.map(quoteIdentifier).join(".")} cannot be found. Verify the spelling and correctness of the schema and catalog.`,
      "42P01",
    );
  }
  const columnOf = (name: string): DataColumn => {
    const column = table.columns.find((c) => c.name === name.toLowerCase());
    if (column) return column;
    const suggestions = [...table.columns]
      .sort((a, b) => levenshtein(name, a.name) - levenshtein(name, b.name))
      .slice(0, 5);
    throw new SqlError(
      "UNRESOLVED_COLUMN.WITH_SUGGESTION",
      `A column, variable, or function parameter with name ${quoteIdentifier(name)} cannot be resolved. Did you mean one of the following? [${suggestions.map((c) => quoteIdentifier(c.name)).join(", ")}].`,
      "42703",
    );
  };

  const filters = statement.where.map((predicate: Predicate) => {
    const column = columnOf(predicate.column);
    if (predicate.operator === "IS NULL") return (row: DataRow) => row[column.name] === null;
    if (predicate.operator === "IS NOT NULL") return (row: DataRow) => row[column.name] !== null;
    if (predicate.operator === "IN") {
      const values = predicate.operands.map((o) => castTo(column.type, operandValue(o, context.parameters)));
      return (row: DataRow) => {
        const value = comparable(column.type, row[column.name]);
        return value !== null && values.some((v) => v !== null && compare(value, v) === 0);
      };
    }
    const { operator, operand } = predicate as Extract<Predicate, { operand: Operand }>;
    const target = castTo(column.type, operandValue(operand, context.parameters));
    return (row: DataRow) => {
      const value = comparable(column.type, row[column.name]);
      if (value === null || target === null) return false;
      const order = compare(value, target);
      return operator === "="
        ? order === 0
        : operator === "!="
          ? order !== 0
          : operator === "<"
            ? order < 0
            : operator === "<="
              ? order <= 0
              : operator === ">"
                ? order > 0
                : order >= 0;
    };
  });
  const ordering = statement.orderBy.map(({ column, descending }) => ({
    column: columnOf(column),
    descending,
  }));

  let limit: number | undefined;
  if (statement.limit) {
    const value = operandValue(statement.limit, context.parameters);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      throw new SqlError(
        "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
        "The limit like expression must be a non-negative integer.",
        "42K0E",
      );
    limit = value;
  }

  const rowCount = table.rowCount();
  const scan = (stopAfter = Infinity): DataRow[] => {
    if (rowCount > maxScanRows) {
      throw new SqlError(
        "SANDBOX_SCAN_LIMIT",
        `The sandbox warehouse scans at most ${maxScanRows} rows per statement and ${qualified.join(".")} has ${rowCount}; drop the WHERE or ORDER BY, or query a smaller table.`,
        "54000",
      );
    }
    const matched: DataRow[] = [];
    for (let i = 0; i < rowCount && matched.length < stopAfter; i++) {
      const row = table.rowAt(i);
      if (filters.every((matches) => matches(row))) matched.push(row);
    }
    return matched;
  };

  let columns: ResultColumn[];
  let rows: (string | null)[][];
  let scannedRows = 0;
  if (statement.projection.kind === "count") {
    const count = filters.length ? scan().length : rowCount;
    scannedRows = filters.length ? rowCount : 0;
    columns = [{ name: statement.projection.alias ?? "count(1)", typeName: "LONG", typeText: "BIGINT" }];
    rows = limit === 0 ? [] : [[String(count)]];
  } else {
    const selected =
      statement.projection.kind === "all"
        ? table.columns.map((column) => ({ column, name: column.name }))
        : statement.projection.columns.map(({ column, alias }) => ({
            column: columnOf(column),
            name: alias ?? column,
          }));
    let matched: DataRow[];
    if (!filters.length && !ordering.length) {
      const count = Math.min(limit ?? rowCount, rowCount);
      const enough = Math.min(maxInlineRows, context.rowLimit ?? maxInlineRows) + 1;
      matched = Array.from({ length: Math.min(count, enough) }, (_, i) => table.rowAt(i));
    } else {
      matched = scan(ordering.length ? Infinity : (limit ?? Infinity));
      scannedRows = rowCount;
      if (ordering.length) {
        matched.sort((a, b) => {
          for (const { column, descending } of ordering) {
            const x = comparable(column.type, a[column.name]);
            const y = comparable(column.type, b[column.name]);
            // Spark: NULLS FIRST when ascending, NULLS LAST when descending.
            const order = x === null && y === null ? 0 : x === null ? -1 : y === null ? 1 : compare(x, y);
            if (order !== 0) return descending ? -order : order;
          }
          return 0;
        });
      }
      if (limit !== undefined) matched = matched.slice(0, limit);
    }
    if (
      matched.length > maxInlineRows &&
      !(context.rowLimit !== undefined && context.rowLimit <= maxInlineRows)
    ) {
      throw new SqlError(
        "SANDBOX_INLINE_LIMIT",
        `The result has more than ${maxInlineRows} rows, more than the sandbox returns INLINE; add a LIMIT or set row_limit.`,
        "54000",
      );
    }
    columns = selected.map(({ column, name }) => ({
      name,
      typeName: sparkTypes[column.type].typeName,
      typeText: sparkTypes[column.type].typeText.toUpperCase(),
    }));
    rows = matched.map((row) => selected.map(({ column }) => formatCell(column.type, row[column.name])));
  }
  const truncated = context.rowLimit !== undefined && rows.length > context.rowLimit;
  if (truncated) rows = rows.slice(0, context.rowLimit);
  return { columns, rows, truncated, scannedRows };
}
