import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError } from "../lib/errors";

/** What MLflow's request parsing and JSON rendering do, shared by the tracking and registry routes. */

export type Args = Record<string, unknown>;
type Handler = (args: Args, request: FastifyRequest) => Promise<unknown>;

/** Registers a route under both prefixes the MLflow server serves: the REST API and the UI's. */
export function mlflowRoute(
  app: FastifyInstance,
  methods: string | string[],
  path: string,
  handler: Handler,
) {
  for (const prefix of ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"]) {
    app.route({
      method: methods as "GET",
      url: `${prefix}${path}`,
      handler: async (request) => handler(readArgs(request), request),
    });
  }
}

/** GET and DELETE carry arguments in the query string (clients also send DELETE bodies); others in JSON. */
export function readArgs(request: FastifyRequest): Args {
  const body =
    request.body && typeof request.body === "object" && !Array.isArray(request.body)
      ? (request.body as Args)
      : {};
  return { ...(request.query as Args), ...body };
}

export const invalidParameter = (message: string) => new ApiError("INVALID_PARAMETER_VALUE", message);

const missing = (name: string) =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );

export function requireString(args: Args, name: string, alias?: string): string {
  const value = args[name] ?? (alias ? args[alias] : undefined);
  if (value === undefined || value === null || value === "") throw missing(name);
  if (typeof value !== "string" && typeof value !== "number")
    throw invalidParameter(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
    );
  return String(value);
}

export function optionalString(args: Args, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
    throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied.`);
  return String(value);
}

export function optionalInt(args: Args, name: string): number | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(number))
    throw invalidParameter(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
    );
  return number;
}

export function requireInt(args: Args, name: string): number {
  const value = optionalInt(args, name);
  if (value === undefined) throw missing(name);
  return value;
}

export function optionalBoolean(args: Args, name: string): boolean {
  const value = args[name];
  return value === true || value === "true" || value === "True" || value === 1;
}

/** Repeated query parameters arrive as an array, a single one as a string. */
export function stringList(args: Args, name: string): string[] {
  const value = args[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== "string" && typeof item !== "number")
      throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied.`);
    return String(item);
  });
}

export function keyValueList(args: Args, name: string): Array<{ key: string; value: string }> {
  const value = args[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw invalidParameter(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
    );
  return value.map((item, index) => {
    const entry = item as { key?: unknown; value?: unknown };
    if (typeof entry?.key !== "string" || !entry.key) throw missing(`${name}[${index}].key`);
    return {
      key: entry.key,
      value: entry.value === undefined || entry.value === null ? "" : String(entry.value),
    };
  });
}

/** max_results with MLflow's wording when it exceeds the server's threshold. */
export function maxResults(args: Args, fallback: number, threshold: number): number {
  const value = optionalInt(args, "max_results") ?? fallback;
  if (value > threshold)
    throw invalidParameter(
      `Invalid value for request parameter max_results. It must be at most ${threshold}, but got value ${value}`,
    );
  if (value < 1)
    throw invalidParameter(
      `Invalid value ${value} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  return value;
}

/** Proto JSON leaves out unset fields and empty repeated fields. */
export function compact<T extends Record<string, unknown>>(message: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(message).filter(
      ([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0),
    ),
  ) as Partial<T>;
}

/** Proto JSON writes non-finite doubles as strings. */
export const wireDouble = (value: number): number | string =>
  Number.isNaN(value) ? "NaN" : value === Infinity ? "Infinity" : value === -Infinity ? "-Infinity" : value;

export const now = () => Date.now();

const viewTypes: Record<string, "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL"> = {
  "1": "ACTIVE_ONLY",
  "2": "DELETED_ONLY",
  "3": "ALL",
  ACTIVE_ONLY: "ACTIVE_ONLY",
  DELETED_ONLY: "DELETED_ONLY",
  ALL: "ALL",
};

/** view_type / run_view_type, by name or by the enum number clients such as the UI send. */
export function viewType(args: Args, name: string) {
  const value = optionalString(args, name);
  if (value === undefined) return "ACTIVE_ONLY";
  const resolved = viewTypes[value.toUpperCase()];
  if (!resolved)
    throw invalidParameter(
      `Invalid value ${value} for parameter '${name}' supplied. Valid values are ACTIVE_ONLY, DELETED_ONLY, ALL.`,
    );
  return resolved;
}

export const lifecycleStagesFor = (view: string) =>
  view === "ALL" ? ["active", "deleted"] : view === "DELETED_ONLY" ? ["deleted"] : ["active"];
