/**
 * A small, strict parser for the statements Switchboard sends to a SQL warehouse:
 *   SELECT * | COUNT(*) [AS a] | col [AS a], ... FROM [catalog.][schema.]table
 *   [WHERE col <op> value [AND ...]] [ORDER BY col [ASC|DESC], ...] [LIMIT n]
 * Anything else fails the way Databricks SQL fails: an error class, a message and a SQLSTATE.
 */

export class SqlError extends Error {
  constructor(
    readonly errorClass: string,
    detail: string,
    readonly sqlState: string,
  ) {
    super(`[${errorClass}] ${detail} SQLSTATE: ${sqlState}`);
  }
}

export type Literal = string | number | boolean | null;
export type Operand = { kind: "literal"; value: Literal } | { kind: "parameter"; name: string };
export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Predicate =
  | { column: string; operator: ComparisonOperator; operand: Operand }
  | { column: string; operator: "IS NULL" | "IS NOT NULL" }
  | { column: string; operator: "IN"; operands: Operand[] };

export type Projection =
  | { kind: "all" }
  | { kind: "count"; alias?: string }
  | { kind: "columns"; columns: { column: string; alias?: string }[] };

export interface SelectStatement {
  projection: Projection;
  /** One to three name parts, unresolved. */
  table: string[];
  where: Predicate[];
  orderBy: { column: string; descending: boolean }[];
  limit?: Operand;
}

type Token =
  | { kind: "word"; text: string; at: number }
  | { kind: "quoted"; text: string; at: number }
  | { kind: "string"; text: string; at: number }
  | { kind: "number"; text: string; at: number }
  | { kind: "parameter"; text: string; at: number }
  | { kind: "symbol"; text: string; at: number };

const syntaxError = (near: string) =>
  new SqlError(
    "PARSE_SYNTAX_ERROR",
    near ? `Syntax error at or near '${near}'.` : "Syntax error at or near end of input.",
    "42601",
  );

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (sql.startsWith("--", i)) {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i])) i++;
      tokens.push({ kind: "word", text: sql.slice(start, i), at: start });
    } else if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const start = i;
      while (i < sql.length && /[0-9.eE]/.test(sql[i])) i++;
      const text = sql.slice(start, i);
      if (!/^(\d+(?:\.\d*)?|\.\d+)([eE]\d+)?$/.test(text) || /[A-Za-z_]/.test(sql[i] ?? ""))
        throw syntaxError(text);
      tokens.push({ kind: "number", text, at: start });
    } else if (ch === "'" || ch === '"' || ch === "`") {
      // Spark reads both quote styles as string literals; backticks quote identifiers. A doubled quote escapes itself.
      const start = i++;
      let text = "";
      for (;;) {
        if (i >= sql.length)
          throw new SqlError(
            "PARSE_SYNTAX_ERROR",
            `Syntax error at or near '${sql.slice(start, start + 20)}': unclosed quote.`,
            "42601",
          );
        if (sql[i] === ch && sql[i + 1] === ch) {
          text += ch;
          i += 2;
        } else if (sql[i] === ch) {
          i++;
          break;
        } else if (sql[i] === "\\" && ch !== "`" && i + 1 < sql.length) {
          text += sql[i + 1];
          i += 2;
        } else {
          text += sql[i++];
        }
      }
      tokens.push({ kind: ch === "`" ? "quoted" : "string", text, at: start });
    } else if (ch === ":" && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      const start = ++i;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i])) i++;
      tokens.push({ kind: "parameter", text: sql.slice(start, i), at: start - 1 });
    } else {
      const two = sql.slice(i, i + 2);
      if (["<=", ">=", "!=", "<>"].includes(two)) {
        tokens.push({ kind: "symbol", text: two === "<>" ? "!=" : two, at: i });
        i += 2;
      } else if ("*(),.;=<>-".includes(ch)) {
        tokens.push({ kind: "symbol", text: ch, at: i++ });
      } else {
        throw syntaxError(ch);
      }
    }
  }
  return tokens;
}

/** Clauses real Databricks SQL has that this warehouse does not run: named so the error is honest. */
const unsupportedKeywords = new Set([
  "JOIN",
  "GROUP",
  "HAVING",
  "UNION",
  "WITH",
  "DISTINCT",
  "OFFSET",
  "OR",
  "INSERT",
  "UPDATE",
  "DELETE",
  "MERGE",
  "CREATE",
  "DROP",
  "ALTER",
  "DESCRIBE",
  "SHOW",
  "LIKE",
  "BETWEEN",
  "NOT",
]);
const reserved = new Set([
  "SELECT",
  "FROM",
  "WHERE",
  "AND",
  "ORDER",
  "BY",
  "LIMIT",
  "AS",
  "ASC",
  "DESC",
  "IS",
  "NULL",
  "IN",
  "TRUE",
  "FALSE",
  "COUNT",
  ...unsupportedKeywords,
]);

export function parseSelect(sql: string): SelectStatement {
  const tokens = tokenize(sql);
  let position = 0;
  const peek = () => tokens[position];
  const isKeyword = (word: string, token = peek()) =>
    token?.kind === "word" && token.text.toUpperCase() === word;
  const isSymbol = (symbol: string, token = peek()) => token?.kind === "symbol" && token.text === symbol;
  const fail = (): never => {
    const token = peek();
    if (token?.kind === "word" && unsupportedKeywords.has(token.text.toUpperCase())) {
      throw new SqlError(
        "SANDBOX_UNSUPPORTED_STATEMENT",
        `The sandbox SQL warehouse runs only SELECT *|COUNT(*)|columns FROM table [WHERE col op value AND ...] [ORDER BY ...] [LIMIT n]; '${token.text}' is not supported here.`,
        "0A000",
      );
    }
    throw syntaxError(token ? (token.kind === "string" ? `'${token.text}'` : token.text) : "");
  };
  const expectKeyword = (word: string) => (isKeyword(word) ? position++ : fail());
  const expectSymbol = (symbol: string) => (isSymbol(symbol) ? position++ : fail());

  const identifier = (): string => {
    const token = peek();
    if (token?.kind === "quoted") {
      position++;
      return token.text;
    }
    if (token?.kind === "word" && !reserved.has(token.text.toUpperCase())) {
      position++;
      return token.text;
    }
    return fail();
  };
  const alias = () => {
    if (isKeyword("AS")) {
      position++;
      return identifier();
    }
    const token = peek();
    return token?.kind === "quoted" || (token?.kind === "word" && !reserved.has(token.text.toUpperCase()))
      ? identifier()
      : undefined;
  };
  const operand = (): Operand => {
    const token = peek();
    if (!token) return fail();
    if (token.kind === "parameter") {
      position++;
      return { kind: "parameter", name: token.text };
    }
    if (token.kind === "string") {
      position++;
      return { kind: "literal", value: token.text };
    }
    const isNegative = isSymbol("-");
    if (isNegative) position++;
    const number = peek();
    if (number?.kind === "number") {
      position++;
      return { kind: "literal", value: (isNegative ? -1 : 1) * Number(number.text) };
    }
    if (isNegative) return fail();
    if (isKeyword("TRUE") || isKeyword("FALSE")) {
      position++;
      return { kind: "literal", value: token.text.toUpperCase() === "TRUE" };
    }
    if (isKeyword("NULL")) {
      position++;
      return { kind: "literal", value: null };
    }
    return fail();
  };

  expectKeyword("SELECT");
  let projection: Projection;
  if (isSymbol("*")) {
    position++;
    projection = { kind: "all" };
  } else if (isKeyword("COUNT") && isSymbol("(", tokens[position + 1])) {
    position += 2;
    if (isSymbol("*") || (peek()?.kind === "number" && peek()!.text === "1")) position++;
    else fail();
    expectSymbol(")");
    projection = { kind: "count", alias: alias() };
  } else {
    const columns: { column: string; alias?: string }[] = [];
    do {
      if (columns.length) position++;
      columns.push({ column: identifier(), alias: alias() });
    } while (isSymbol(","));
    projection = { kind: "columns", columns };
  }

  expectKeyword("FROM");
  const table = [identifier()];
  while (isSymbol(".")) {
    position++;
    table.push(identifier());
  }
  if (table.length > 3)
    throw new SqlError(
      "REQUIRES_SINGLE_PART_NAMESPACE",
      `Table name ${table.map((p) => `\`${p}\``).join(".")} has more than three parts.`,
      "42K05",
    );

  const where: Predicate[] = [];
  if (isKeyword("WHERE")) {
    do {
      position++;
      const column = identifier();
      if (isKeyword("IS")) {
        position++;
        const isNot = isKeyword("NOT");
        if (isNot) position++;
        expectKeyword("NULL");
        where.push({ column, operator: isNot ? "IS NOT NULL" : "IS NULL" });
      } else if (isKeyword("IN")) {
        position++;
        expectSymbol("(");
        const operands = [operand()];
        while (isSymbol(",")) {
          position++;
          operands.push(operand());
        }
        expectSymbol(")");
        where.push({ column, operator: "IN", operands });
      } else {
        const token = peek();
        if (token?.kind !== "symbol" || !["=", "!=", "<", "<=", ">", ">="].includes(token.text))
          return fail();
        position++;
        where.push({ column, operator: token.text as ComparisonOperator, operand: operand() });
      }
    } while (isKeyword("AND"));
  }

  const orderBy: SelectStatement["orderBy"] = [];
  if (isKeyword("ORDER")) {
    position++;
    expectKeyword("BY");
    do {
      if (orderBy.length) position++;
      const column = identifier();
      const descending = isKeyword("DESC");
      if (descending || isKeyword("ASC")) position++;
      orderBy.push({ column, descending });
    } while (isSymbol(","));
  }

  let limit: Operand | undefined;
  if (isKeyword("LIMIT")) {
    position++;
    limit = operand();
    if (
      limit.kind === "literal" &&
      (typeof limit.value !== "number" || !Number.isInteger(limit.value) || limit.value < 0)
    ) {
      throw new SqlError(
        "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
        "The limit like expression must be a non-negative integer literal.",
        "42K0E",
      );
    }
  }
  if (isSymbol(";")) position++;
  if (position < tokens.length) fail();
  return { projection, table, where, orderBy, limit };
}

/** Quotes one identifier part with backticks (Databricks SQL), doubling any backtick inside. */
export const quoteIdentifier = (part: string) => `\`${part.replaceAll("`", "``")}\``;
