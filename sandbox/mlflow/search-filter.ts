import { ApiError } from "../lib/errors";

/**
 * MLflow's search grammar (mlflow/utils/search_utils.py): `<identifier> <comparator> <value>`
 * clauses joined by AND only. Identifiers are `<entity>.<key>` (entity metrics/params/tags/
 * attributes and their aliases) or a bare attribute; odd keys are quoted with backticks or double
 * quotes. Strings are single- or double-quoted; IN / NOT IN take a parenthesised list of strings.
 * Errors are INVALID_PARAMETER_VALUE with MLflow's wording, so clients see the same messages.
 */

export type EntityType = "metric" | "parameter" | "tag" | "attribute" | "dataset";

export interface FilterClause {
  type: EntityType;
  key: string;
  comparator: string;
  /** Number for numeric comparisons, string for string ones, string[] for IN / NOT IN. */
  value: number | string | string[];
}

export interface SearchSpec {
  /** Entity types the search accepts (runs: all; experiments and models: attribute and tag). */
  entities: EntityType[];
  stringAttributes: string[];
  numericAttributes: string[];
  /** Attributes that may be compared with a list (runs: run_id). */
  listAttributes: string[];
  /** Comparators allowed on string attributes. */
  stringComparators: string[];
}

const identifierAliases: Record<string, EntityType> = {
  metric: "metric",
  metrics: "metric",
  parameter: "parameter",
  parameters: "parameter",
  param: "parameter",
  params: "parameter",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attr: "attribute",
  attributes: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};
const attributeAliases: Record<string, string> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};

const numericComparators = [">", ">=", "!=", "=", "<", "<="];
const stringComparators = ["!=", "=", "LIKE", "ILIKE"];

export const runSearchSpec: SearchSpec = {
  entities: ["metric", "parameter", "tag", "attribute", "dataset"],
  stringAttributes: ["run_id", "run_name", "status", "user_id", "artifact_uri"],
  numericAttributes: ["start_time", "end_time"],
  listAttributes: ["run_id"],
  stringComparators: [...stringComparators, "IN", "NOT IN"],
};
export const experimentSearchSpec: SearchSpec = {
  entities: ["attribute", "tag"],
  stringAttributes: ["name"],
  numericAttributes: ["creation_time", "last_update_time"],
  listAttributes: [],
  stringComparators,
};
export const registeredModelSearchSpec: SearchSpec = {
  entities: ["attribute", "tag"],
  stringAttributes: ["name"],
  numericAttributes: ["timestamp", "creation_timestamp", "last_updated_timestamp"],
  listAttributes: [],
  stringComparators,
};
export const modelVersionSearchSpec: SearchSpec = {
  entities: ["attribute", "tag"],
  stringAttributes: ["name", "run_id", "source_path"],
  numericAttributes: ["version_number", "creation_timestamp", "last_updated_timestamp"],
  listAttributes: ["run_id", "name"],
  stringComparators: [...stringComparators, "IN", "NOT IN"],
};

const invalid = (message: string) => new ApiError("INVALID_PARAMETER_VALUE", message);

type Token =
  | { kind: "identifier"; text: string }
  | { kind: "string"; text: string; quote: "'" | '"' }
  | { kind: "number"; text: string }
  | { kind: "operator"; text: string }
  | { kind: "keyword"; text: "AND" | "OR" | "LIKE" | "ILIKE" | "IN" | "NOT" }
  | { kind: "list"; items: Token[]; text: string };

const keywords = new Set(["AND", "OR", "LIKE", "ILIKE", "IN", "NOT"]);

/** Splits a filter into tokens; a dotted identifier with quoted parts stays one token. */
export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (quote: string) => {
    const end = filter.indexOf(quote, i + 1);
    if (end < 0)
      throw invalid(`Invalid filter '${filter}'. Could not be parsed: unterminated ${quote} quote.`);
    const text = filter.slice(i, end + 1);
    i = end + 1;
    return text;
  };
  while (i < filter.length) {
    const c = filter[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const text = readQuoted("'");
      tokens.push({ kind: "string", text: text.slice(1, -1).replaceAll("''", "'"), quote: "'" });
    } else if (c === "(") {
      const end = filter.indexOf(")", i);
      if (end < 0) throw invalid(`Invalid filter '${filter}'. Could not be parsed: unbalanced parenthesis.`);
      const inner = filter.slice(i + 1, end);
      tokens.push({ kind: "list", items: tokenize(inner), text: filter.slice(i, end + 1) });
      i = end + 1;
    } else if (/[<>=!]/.test(c)) {
      const match = /^(<=|>=|!=|<>|=|<|>)/.exec(filter.slice(i));
      if (!match) throw invalid(`Invalid clause(s) in filter string: '${c}'`);
      tokens.push({ kind: "operator", text: match[1] === "<>" ? "!=" : match[1] });
      i += match[1].length;
    } else if (
      /[-+\d.]/.test(c) &&
      /^[-+]?(\d+(?:\.\d*)?|\.\d+)([eE][-+]?\d+)?(?![\w`"])/.test(filter.slice(i))
    ) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(filter.slice(i))!;
      tokens.push({ kind: "number", text: match[0] });
      i += match[0].length;
    } else if (c === ",") {
      tokens.push({ kind: "operator", text: "," });
      i++;
    } else if (/[\w`"]/.test(c)) {
      // An identifier: parts joined by dots, each bare, `backticked` or "double-quoted".
      let text = "";
      for (;;) {
        if (filter[i] === "`" || filter[i] === '"') text += readQuoted(filter[i]);
        else {
          const match = /^[\w$]+/.exec(filter.slice(i));
          if (!match) break;
          text += match[0];
          i += match[0].length;
        }
        if (filter[i] !== "." || !/[\w`"]/.test(filter[i + 1] ?? "")) break;
        text += ".";
        i++;
      }
      if (!text) throw invalid(`Invalid clause(s) in filter string: '${filter.slice(i)}'`);
      const upper = text.toUpperCase();
      if (keywords.has(upper)) tokens.push({ kind: "keyword", text: upper as "AND" });
      else if (text.startsWith('"') && text.endsWith('"') && !text.slice(1, -1).includes('"'))
        tokens.push({ kind: "string", text: text.slice(1, -1), quote: '"' });
      else tokens.push({ kind: "identifier", text });
    } else {
      throw invalid(`Invalid clause(s) in filter string: '${filter.slice(i)}'`);
    }
  }
  return tokens;
}

const trimQuotes = (value: string) =>
  value.length >= 2 && /^([`"']).*\1$/s.test(value) ? value.slice(1, -1) : value;

function parseIdentifier(
  text: string,
  spec: SearchSpec,
  keysFor: "filter" | "order_by",
): { type: EntityType; key: string } {
  const dot = text.indexOf(".");
  let type: EntityType = "attribute";
  let key = text;
  if (dot > 0 && !/^[`"]/.test(text)) {
    const entity = trimQuotes(text.slice(0, dot));
    const resolved = identifierAliases[entity];
    if (!resolved)
      throw invalid(
        `Invalid entity type '${entity}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
      );
    type = resolved;
    key = text.slice(dot + 1);
  }
  key = trimQuotes(key);
  if (!spec.entities.includes(type))
    throw invalid(`Invalid entity type '${type}'. Valid values are ${JSON.stringify(spec.entities)}`);
  if (type === "attribute") {
    key = attributeAliases[key] ?? key;
    const valid = [...spec.stringAttributes, ...spec.numericAttributes];
    if (!valid.includes(key))
      throw invalid(
        `Invalid attribute key '${key}' specified. Valid keys are '${valid.join("', '")}'${keysFor === "order_by" ? " for order_by" : ""}`,
      );
  }
  if (type === "dataset" && !["name", "digest", "context"].includes(key))
    throw invalid(`Invalid dataset key '${key}' specified. Valid keys are 'name', 'digest', 'context'`);
  return { type, key };
}

function parseValue(
  type: EntityType,
  key: string,
  comparator: string,
  token: Token,
  spec: SearchSpec,
): FilterClause["value"] {
  const isNumeric = type === "metric" || (type === "attribute" && spec.numericAttributes.includes(key));
  if (isNumeric) {
    if (token.kind !== "number")
      throw invalid(
        `Expected numeric value type for ${type === "metric" ? "metric" : `numeric attribute: ${key}`}. Found ${token.text}`,
      );
    if (!numericComparators.includes(comparator))
      throw invalid(`Invalid comparator '${comparator}' not one of '${numericComparators.join("', '")}'`);
    return Number(token.text);
  }
  const allowed =
    type === "attribute"
      ? spec.stringComparators
      : type === "dataset"
        ? [...stringComparators, "IN", "NOT IN"]
        : stringComparators;
  if (!allowed.includes(comparator))
    throw invalid(`Invalid comparator '${comparator}' not one of '${allowed.join("', '")}'`);
  if (token.kind === "list") {
    if (comparator !== "IN" && comparator !== "NOT IN")
      throw invalid(`Invalid comparator '${comparator}' for a list of values. Use IN or NOT IN.`);
    if (!(type === "attribute" && spec.listAttributes.includes(key)) && type !== "dataset") {
      throw invalid(
        `Only the ${spec.listAttributes.map((k) => `'${k}'`).join(" and ") || "(none)"} attribute supports comparison with a list of quoted string values.`,
      );
    }
    const values: string[] = [];
    token.items.forEach((item, index) => {
      if (index % 2 === 1) {
        if (item.kind !== "operator" || item.text !== ",")
          throw invalid(`While parsing a list in the query, expected a comma, got '${item.text}'`);
        return;
      }
      if (item.kind !== "string")
        throw invalid(
          `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${item.text}`,
        );
      values.push(item.text);
    });
    if (!values.length)
      throw invalid(
        "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
      );
    return values;
  }
  if (comparator === "IN" || comparator === "NOT IN")
    throw invalid(`Expected a parenthesised list of quoted strings after ${comparator}. Found ${token.text}`);
  if (token.kind !== "string") {
    throw invalid(
      type === "attribute"
        ? `Expected a quoted string value for attributes. Got value ${token.text}`
        : `Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${token.text}`,
    );
  }
  return token.text;
}

/** Parses a filter string into AND-ed clauses, validating keys, comparators and value types. */
export function parseSearchFilter(
  filter: string | undefined | null,
  spec: SearchSpec = runSearchSpec,
): FilterClause[] {
  if (!filter || !filter.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: FilterClause[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (clauses.length) {
      const joiner = tokens[i];
      if (joiner.kind === "keyword" && joiner.text === "OR")
        throw invalid(`Invalid clause(s) in filter string: 'OR'. Only AND is supported in search filters.`);
      if (joiner.kind !== "keyword" || joiner.text !== "AND")
        throw invalid(`Invalid clause(s) in filter string: '${"text" in joiner ? joiner.text : ""}'`);
      i++;
    }
    const [first, second, third, fourth] = tokens.slice(i, i + 4);
    if (!first || first.kind !== "identifier")
      throw invalid(
        `Invalid clause(s) in filter string: '${first ? ("text" in first ? first.text : "") : "(end of filter)"}'. Expected an identifier such as metrics.rmse or tags.team`,
      );
    let comparator: string;
    let valueToken: Token | undefined;
    if (second?.kind === "operator" && second.text !== ",") {
      comparator = second.text;
      valueToken = third;
      i += 3;
    } else if (
      second?.kind === "keyword" &&
      second.text === "NOT" &&
      third?.kind === "keyword" &&
      third.text === "IN"
    ) {
      comparator = "NOT IN";
      valueToken = fourth;
      i += 4;
    } else if (second?.kind === "keyword" && ["LIKE", "ILIKE", "IN"].includes(second.text)) {
      comparator = second.text;
      valueToken = third;
      i += 3;
    } else {
      throw invalid(
        `Invalid comparison clause. Expected comparison found '${second ? ("text" in second ? second.text : "") : "(end of filter)"}' after '${first.text}'`,
      );
    }
    if (!valueToken || valueToken.kind === "keyword" || valueToken.kind === "operator") {
      throw invalid(
        `Invalid comparison clause. Expected value token found '${valueToken ? valueToken.text : "(end of filter)"}' after '${first.text} ${comparator}'`,
      );
    }
    const { type, key } = parseIdentifier(first.text, spec, "filter");
    clauses.push({ type, key, comparator, value: parseValue(type, key, comparator, valueToken, spec) });
  }
  return clauses;
}

export interface OrderByClause {
  type: EntityType;
  key: string;
  ascending: boolean;
}

/** `metrics.rmse DESC`, `attributes.start_time`, `` params.`learning rate` ASC ``. */
export function parseOrderBy(orderBy: string, spec: SearchSpec = runSearchSpec): OrderByClause {
  const trimmed = orderBy.trim();
  if (!trimmed) throw invalid(`Invalid order_by clause '${orderBy}'. Could not be parsed.`);
  const direction = /\s(asc|desc)$/i.exec(trimmed);
  const tokens = tokenize(direction ? trimmed.slice(0, direction.index).trimEnd() : trimmed);
  if (tokens.length !== 1 || tokens[0].kind !== "identifier") {
    throw invalid(
      /\s(\w+)\s*$/.test(orderBy) && tokens.length === 2
        ? `Invalid ordering key in order_by clause '${orderBy}'.`
        : `Invalid order_by clause '${orderBy}'. Could not be parsed.`,
    );
  }
  const { type, key } = parseIdentifier(tokens[0].text, spec, "order_by");
  return { type, key, ascending: (direction?.[1] ?? "asc").toLowerCase() === "asc" };
}

const likeToRegex = (pattern: string, flags: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replaceAll("%", ".*")
      .replaceAll("_", ".")}$`,
    `s${flags}`,
  );

/** Applies one comparator the way MLflow's in-memory filter does; a missing value never matches. */
export function compareValues(
  comparator: string,
  actual: string | number | undefined | null,
  expected: FilterClause["value"],
): boolean {
  if (actual === undefined || actual === null) return false;
  switch (comparator) {
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case ">":
      return Number(actual) > (expected as number);
    case ">=":
      return Number(actual) >= (expected as number);
    case "<":
      return Number(actual) < (expected as number);
    case "<=":
      return Number(actual) <= (expected as number);
    case "LIKE":
      return likeToRegex(String(expected), "").test(String(actual));
    case "ILIKE":
      return likeToRegex(String(expected), "i").test(String(actual));
    case "IN":
      return (expected as string[]).includes(String(actual));
    case "NOT IN":
      return !(expected as string[]).includes(String(actual));
    default:
      throw invalid(`Invalid comparator '${comparator}'`);
  }
}

/** Missing (and NaN) values sort last in both directions, as in MLflow. */
export function compareForSort(
  a: string | number | undefined,
  b: string | number | undefined,
  ascending: boolean,
): number {
  const aMissing = a === undefined || (typeof a === "number" && Number.isNaN(a));
  const bMissing = b === undefined || (typeof b === "number" && Number.isNaN(b));
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const order = a! < b! ? -1 : a! > b! ? 1 : 0;
  return ascending ? order : -order;
}

/** Offsets in MLflow's own token form: base64 of Python's json.dumps({"offset": n}). */
export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`).toString("base64");
}

export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
  } catch {
    throw invalid(`Invalid page token, could not base64-decode`);
  }
  const offset = Number((parsed as { offset?: unknown })?.offset);
  if (!Number.isInteger(offset) || offset < 0)
    throw invalid(`Invalid page token, parsed value=${JSON.stringify(parsed)}`);
  return offset;
}
