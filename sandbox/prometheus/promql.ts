/**
 * A small, strict PromQL parser for the subset Switchboard's dashboards use: selectors with
 * `= != =~ !~` matchers, range selectors inside rate()/increase(), histogram_quantile(), the
 * sum/avg/min/max/count aggregations with by/without, vector() and arithmetic (+ - * /) with
 * on()/ignoring(). Anything else is rejected with a parse error in Prometheus' own format
 * ("1:5: parse error: ..."), so the sandbox never silently answers a query it does not understand.
 */

export type MatchOp = "=" | "!=" | "=~" | "!~";
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type ValueType = "scalar" | "vector" | "matrix";
export type AggregateOp = "sum" | "avg" | "min" | "max" | "count";
export type BinaryOp = "+" | "-" | "*" | "/";

export type Expr =
  | { kind: "number"; value: number }
  | { kind: "selector"; name: string; matchers: Matcher[]; rangeSeconds?: number }
  | { kind: "call"; func: "rate" | "increase" | "histogram_quantile" | "vector"; args: Expr[] }
  | { kind: "aggregate"; op: AggregateOp; grouping: { without: boolean; labels: string[] }; expr: Expr }
  | { kind: "binary"; op: BinaryOp; lhs: Expr; rhs: Expr; matching?: { on: boolean; labels: string[] } }
  | { kind: "negate"; expr: Expr };

export class PromQLError extends Error {}

type TokenKind = "ident" | "number" | "duration" | "string" | "op" | "eof";
interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  value?: number | string;
}

const aggregations = new Set(["sum", "avg", "min", "max", "count"]);
const unsupportedAggregations = new Set([
  "topk",
  "bottomk",
  "quantile",
  "stddev",
  "stdvar",
  "count_values",
  "group",
  "limitk",
  "limit_ratio",
]);
const supportedFunctions = new Set(["rate", "increase", "histogram_quantile", "vector"]);
/** Real PromQL functions, so an unsupported one gets "not supported" rather than "unknown". */
const promqlFunctions = new Set([
  "abs",
  "absent",
  "absent_over_time",
  "avg_over_time",
  "ceil",
  "changes",
  "clamp",
  "clamp_max",
  "clamp_min",
  "count_over_time",
  "day_of_month",
  "day_of_week",
  "days_in_month",
  "delta",
  "deriv",
  "exp",
  "floor",
  "histogram_avg",
  "histogram_count",
  "histogram_fraction",
  "histogram_stddev",
  "histogram_sum",
  "holt_winters",
  "hour",
  "idelta",
  "irate",
  "label_join",
  "label_replace",
  "last_over_time",
  "ln",
  "log10",
  "log2",
  "max_over_time",
  "min_over_time",
  "minute",
  "month",
  "predict_linear",
  "quantile_over_time",
  "resets",
  "round",
  "scalar",
  "sgn",
  "sort",
  "sort_desc",
  "sqrt",
  "stddev_over_time",
  "stdvar_over_time",
  "sum_over_time",
  "time",
  "timestamp",
  "year",
]);
const durationUnits: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** Prometheus duration syntax: one or more number+unit parts, largest unit first (`1h30m`). */
export function parseDurationSeconds(text: string): number | undefined {
  const parts = text.match(/(?<!\d)\d+(ms|s|m|h|d|w|y)/g);
  if (!parts || parts.join("") !== text) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, digits, unit] = part.match(/^(\d+)(ms|s|m|h|d|w|y)$/)!;
    total += Number(digits) * durationUnits[unit];
  }
  return total;
}

class Lexer {
  /** Public so the parser can look one token ahead and come back. */
  pos = 0;
  constructor(private readonly input: string) {}

  next(): Token {
    const { input } = this;
    while (this.pos < input.length && /\s/.test(input[this.pos])) this.pos++;
    // Comments run to the end of the line.
    if (input[this.pos] === "#") {
      while (this.pos < input.length && input[this.pos] !== "\n") this.pos++;
      return this.next();
    }
    const start = this.pos;
    if (this.pos >= input.length) return { kind: "eof", text: "", pos: start };
    const rest = input.slice(this.pos);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^(\d+(ms|s|m|h|d|w|y))+(?![\w.])/))) {
      this.pos += m[0].length;
      return { kind: "duration", text: m[0], pos: start, value: parseDurationSeconds(m[0]) };
    }
    if ((m = rest.match(/^(0x[0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/))) {
      this.pos += m[0].length;
      return { kind: "number", text: m[0], pos: start, value: Number(m[0]) };
    }
    if ((m = rest.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/))) {
      this.pos += m[0].length;
      return { kind: "ident", text: m[0], pos: start };
    }
    if (rest[0] === '"' || rest[0] === "'" || rest[0] === "`") return this.string(rest[0], start);
    if ((m = rest.match(/^(=~|!~|!=|==|<=|>=|[(){}[\],=+\-*/%^<>@])/))) {
      this.pos += m[0].length;
      return { kind: "op", text: m[0], pos: start };
    }
    throw errorAt(this.input, start, `unexpected character: '${rest[0]}'`);
  }

  private string(quote: string, start: number): Token {
    let value = "";
    this.pos++;
    for (;;) {
      if (this.pos >= this.input.length) throw errorAt(this.input, start, "unterminated quoted string");
      const ch = this.input[this.pos++];
      if (ch === quote) break;
      if (ch === "\\" && quote !== "`") {
        const escaped = this.input[this.pos++];
        value +=
          escaped === "n"
            ? "\n"
            : escaped === "t"
              ? "\t"
              : escaped === "\\"
                ? "\\"
                : escaped === quote
                  ? quote
                  : `\\${escaped}`;
      } else value += ch;
    }
    return { kind: "string", text: this.input.slice(start, this.pos), pos: start, value };
  }
}

function errorAt(input: string, pos: number, message: string): PromQLError {
  const before = input.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return new PromQLError(`${line}:${column}: parse error: ${message}`);
}

const describe = (token: Token) =>
  token.kind === "eof"
    ? "end of input"
    : token.kind === "number"
      ? `number "${token.text}"`
      : token.kind === "string"
        ? `string ${token.text}`
        : token.kind === "duration"
          ? `duration "${token.text}"`
          : token.kind === "ident"
            ? `identifier "${token.text}"`
            : `"${token.text}"`;

class Parser {
  private readonly lexer: Lexer;
  private token: Token;

  constructor(private readonly input: string) {
    this.lexer = new Lexer(input);
    this.token = this.lexer.next();
  }

  parse(): Expr {
    if (this.token.kind === "eof") throw errorAt(this.input, 0, "no expression found in input");
    const expr = this.expression(0);
    if (this.current().kind !== "eof") throw this.unexpected("");
    return expr;
  }

  /** The current token, read through a call so TypeScript does not keep a stale narrowing. */
  private current(): Token {
    return this.token;
  }

  private advance(): Token {
    const current = this.token;
    this.token = this.lexer.next();
    return current;
  }

  private unexpected(context: string): PromQLError {
    return errorAt(
      this.input,
      this.token.pos,
      `unexpected ${describe(this.token)}${context ? ` ${context}` : ""}`,
    );
  }

  private expect(text: string, context: string): Token {
    if (this.token.kind !== "op" || this.token.text !== text)
      throw this.unexpected(`${context}, expected "${text}"`);
    return this.advance();
  }

  private isOp(text: string) {
    return this.token.kind === "op" && this.token.text === text;
  }

  private static precedence(token: Token): number {
    if (token.kind === "op" && (token.text === "+" || token.text === "-")) return 1;
    if (token.kind === "op" && (token.text === "*" || token.text === "/")) return 2;
    return 0;
  }

  private expression(minPrecedence: number): Expr {
    let lhs = this.unary();
    for (;;) {
      const token = this.token;
      if (token.kind === "op" && ["%", "^", "==", "!=", "<", ">", "<=", ">="].includes(token.text)) {
        throw errorAt(
          this.input,
          token.pos,
          `operator "${token.text}" is not supported by the sandbox's PromQL subset`,
        );
      }
      if (token.kind === "ident" && ["and", "or", "unless", "atan2"].includes(token.text)) {
        throw errorAt(
          this.input,
          token.pos,
          `operator "${token.text}" is not supported by the sandbox's PromQL subset`,
        );
      }
      const precedence = Parser.precedence(token);
      if (!precedence || precedence < minPrecedence) break;
      this.advance();
      const matching = this.vectorMatching();
      const rhs = this.expression(precedence + 1);
      lhs = { kind: "binary", op: token.text as BinaryOp, lhs, rhs, ...(matching ? { matching } : {}) };
      this.checkBinary(lhs, token.pos);
    }
    return lhs;
  }

  private vectorMatching(): { on: boolean; labels: string[] } | undefined {
    if (this.token.kind === "ident" && this.token.text === "bool")
      throw errorAt(
        this.input,
        this.token.pos,
        "bool modifier is not supported by the sandbox's PromQL subset",
      );
    if (this.token.kind !== "ident" || (this.token.text !== "on" && this.token.text !== "ignoring"))
      return undefined;
    const on = this.advance().text === "on";
    const labels = this.labelList(on ? "on" : "ignoring");
    const next = this.current();
    if (next.kind === "ident" && (next.text === "group_left" || next.text === "group_right")) {
      throw errorAt(this.input, next.pos, `${next.text} is not supported by the sandbox's PromQL subset`);
    }
    return { on, labels };
  }

  private checkBinary(expr: Extract<Expr, { kind: "binary" }>, pos: number) {
    for (const side of [expr.lhs, expr.rhs]) {
      if (typeOf(side) === "matrix")
        throw errorAt(this.input, pos, `binary expression must contain only scalar and instant vector types`);
    }
    if (expr.matching && (typeOf(expr.lhs) !== "vector" || typeOf(expr.rhs) !== "vector")) {
      throw errorAt(this.input, pos, "vector matching only allowed between instant vectors");
    }
  }

  private unary(): Expr {
    if (this.isOp("-") || this.isOp("+")) {
      const sign = this.advance();
      const expr = this.unary();
      if (typeOf(expr) === "matrix")
        throw errorAt(
          this.input,
          sign.pos,
          'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
        );
      if (sign.text === "+") return expr;
      return expr.kind === "number" ? { kind: "number", value: -expr.value } : { kind: "negate", expr };
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    if (this.isOp("[")) {
      const open = this.advance();
      if (expr.kind !== "selector" || expr.rangeSeconds !== undefined)
        throw errorAt(this.input, open.pos, "ranges only allowed for vector selectors");
      if (this.token.kind !== "duration") {
        if (this.isOp(":"))
          throw errorAt(
            this.input,
            this.token.pos,
            "subqueries are not supported by the sandbox's PromQL subset",
          );
        throw this.unexpected("in range selector, expected duration");
      }
      const seconds = this.advance().value as number;
      if (
        this.current().text.startsWith(":") ||
        (this.current().kind === "op" && this.current().text !== "]")
      )
        throw errorAt(
          this.input,
          this.token.pos,
          "subqueries are not supported by the sandbox's PromQL subset",
        );
      this.expect("]", "in range selector");
      if (seconds <= 0) throw errorAt(this.input, open.pos, "range must be greater than 0");
      expr = { ...expr, rangeSeconds: seconds };
    }
    if (this.token.kind === "ident" && this.token.text === "offset")
      throw errorAt(
        this.input,
        this.token.pos,
        "offset modifier is not supported by the sandbox's PromQL subset",
      );
    if (this.isOp("@"))
      throw errorAt(this.input, this.token.pos, "@ modifier is not supported by the sandbox's PromQL subset");
    return expr;
  }

  private primary(): Expr {
    const token = this.token;
    if (token.kind === "number") {
      this.advance();
      return { kind: "number", value: token.value as number };
    }
    if (token.kind === "string")
      throw errorAt(
        this.input,
        token.pos,
        "string literals are not supported by the sandbox's PromQL subset",
      );
    if (this.isOp("(")) {
      this.advance();
      const expr = this.expression(0);
      this.expect(")", "in parenthesized expression");
      return expr;
    }
    if (this.isOp("{")) return { kind: "selector", ...this.selectorBody("") };
    if (token.kind !== "ident") throw this.unexpected("");
    const name = token.text;
    const lower = name.toLowerCase();
    if (lower === "inf" || lower === "nan") {
      this.advance();
      return { kind: "number", value: lower === "inf" ? Infinity : NaN };
    }
    if (aggregations.has(name) && (this.peekIsOp("(") || this.peekIsGrouping())) return this.aggregate();
    if (unsupportedAggregations.has(name))
      throw errorAt(
        this.input,
        token.pos,
        `aggregation "${name}" is not supported by the sandbox's PromQL subset`,
      );
    this.advance();
    if (this.isOp("(")) return this.call(name, token.pos);
    return { kind: "selector", ...this.selectorBody(name) };
  }

  private peekIsOp(text: string) {
    return this.lookahead().kind === "op" && this.lookahead().text === text;
  }

  private peekIsGrouping() {
    const next = this.lookahead();
    return next.kind === "ident" && (next.text === "by" || next.text === "without");
  }

  private lookahead(): Token {
    const saved = { token: this.token, pos: this.lexer.pos };
    this.advance();
    const next = this.token;
    this.token = saved.token;
    this.lexer.pos = saved.pos;
    return next;
  }

  private aggregate(): Expr {
    const opToken = this.advance();
    let grouping = { without: false, labels: [] as string[] };
    if (this.token.kind === "ident" && (this.token.text === "by" || this.token.text === "without")) {
      const without = this.advance().text === "without";
      grouping = { without, labels: this.labelList(without ? "without" : "by") };
    }
    this.expect("(", `in aggregation "${opToken.text}"`);
    if (this.isOp(")"))
      throw errorAt(this.input, this.token.pos, `no arguments for aggregate expression provided`);
    const expr = this.expression(0);
    if (this.isOp(","))
      throw errorAt(this.input, this.token.pos, `aggregation "${opToken.text}" takes no parameter`);
    this.expect(")", `in aggregation "${opToken.text}"`);
    if (this.token.kind === "ident" && (this.token.text === "by" || this.token.text === "without")) {
      if (grouping.labels.length || grouping.without)
        throw this.unexpected("after aggregation with a grouping");
      const without = this.advance().text === "without";
      grouping = { without, labels: this.labelList(without ? "without" : "by") };
    }
    if (typeOf(expr) !== "vector")
      throw errorAt(
        this.input,
        opToken.pos,
        `expected type instant vector in aggregation expression, got ${typeName(typeOf(expr))}`,
      );
    return { kind: "aggregate", op: opToken.text as AggregateOp, grouping, expr };
  }

  private labelList(context: string): string[] {
    this.expect("(", `in ${context} clause`);
    const labels: string[] = [];
    while (!this.isOp(")")) {
      if (this.token.kind !== "ident") throw this.unexpected(`in grouping opts, expected label`);
      labels.push(this.advance().text);
      if (!this.isOp(",")) break;
      this.advance();
    }
    this.expect(")", `in ${context} clause`);
    return labels;
  }

  private call(name: string, pos: number): Expr {
    if (!supportedFunctions.has(name)) {
      if (promqlFunctions.has(name))
        throw errorAt(this.input, pos, `function "${name}" is not supported by the sandbox's PromQL subset`);
      throw errorAt(this.input, pos, `unknown function with name "${name}"`);
    }
    this.expect("(", `in call to function "${name}"`);
    const args: Expr[] = [];
    while (!this.isOp(")")) {
      args.push(this.expression(0));
      if (!this.isOp(",")) break;
      this.advance();
    }
    this.expect(")", `in call to function "${name}"`);
    const func = name as "rate" | "increase" | "histogram_quantile" | "vector";
    const signature: Record<typeof func, ValueType[]> = {
      rate: ["matrix"],
      increase: ["matrix"],
      histogram_quantile: ["scalar", "vector"],
      vector: ["scalar"],
    };
    const expected = signature[func];
    if (args.length !== expected.length)
      throw errorAt(
        this.input,
        pos,
        `expected ${expected.length} argument(s) in call to "${name}", got ${args.length}`,
      );
    args.forEach((arg, i) => {
      if (typeOf(arg) !== expected[i])
        throw errorAt(
          this.input,
          pos,
          `expected type ${typeName(expected[i])} in call to function "${name}", got ${typeName(typeOf(arg))}`,
        );
    });
    return { kind: "call", func, args };
  }

  private selectorBody(name: string): { name: string; matchers: Matcher[] } {
    const matchers: Matcher[] = [];
    const start = this.token.pos;
    if (this.isOp("{")) {
      this.advance();
      while (!this.isOp("}")) {
        if (this.token.kind !== "ident") throw this.unexpected("in label matching, expected label");
        const label = this.advance().text;
        if (this.current().kind !== "op" || !["=", "!=", "=~", "!~"].includes(this.current().text))
          throw this.unexpected("in label matching, expected label matching operator");
        const op = this.advance().text as MatchOp;
        if (this.current().kind !== "string") throw this.unexpected("in label matching, expected string");
        const value = this.advance().value as string;
        if (op === "=~" || op === "!~") {
          try {
            new RegExp(`^(?:${value})$`);
          } catch {
            throw errorAt(this.input, start, `invalid regular expression in label matcher: ${value}`);
          }
        }
        matchers.push({ name: label, op, value });
        if (!this.isOp(",")) break;
        this.advance();
      }
      this.expect("}", "in label matching");
    }
    const nameMatcher = matchers.find((m) => m.name === "__name__");
    if (name && nameMatcher)
      throw errorAt(
        this.input,
        start,
        `metric name must not be set twice: "${name}" or "${nameMatcher.value}"`,
      );
    if (!name && !matchers.some((m) => !matches(m, "")))
      throw errorAt(this.input, start, "vector selector must contain at least one non-empty matcher");
    return { name, matchers };
  }
}

export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case "number":
      return "scalar";
    case "selector":
      return expr.rangeSeconds === undefined ? "vector" : "matrix";
    case "binary":
      return typeOf(expr.lhs) === "scalar" && typeOf(expr.rhs) === "scalar" ? "scalar" : "vector";
    case "negate":
      return typeOf(expr.expr);
    default:
      return "vector";
  }
}

const typeName = (type: ValueType) =>
  type === "matrix" ? "range vector" : type === "vector" ? "instant vector" : "scalar";

const regexCache = new Map<string, RegExp>();

/** Label matching; regexes are anchored at both ends, as in Prometheus. */
export function matches(matcher: Matcher, value: string): boolean {
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    default: {
      let regex = regexCache.get(matcher.value);
      if (!regex) {
        regex = new RegExp(`^(?:${matcher.value})$`, "s");
        if (regexCache.size > 500) regexCache.clear();
        regexCache.set(matcher.value, regex);
      }
      return regex.test(value) === (matcher.op === "=~");
    }
  }
}

export function parsePromQL(input: string): Expr {
  return new Parser(input).parse();
}
