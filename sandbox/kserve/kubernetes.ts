import type { FastifyReply } from "fastify";

/** Kubernetes API machinery the emulator needs: Status errors, label selectors, JSON patches. */

export class KubernetesError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function sendStatus(reply: FastifyReply, error: KubernetesError) {
  return reply.code(error.code).send({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: error.message,
    reason: error.reason,
    ...(error.details ? { details: error.details } : {}),
    code: error.code,
  });
}

const resource = "inferenceservices";
const group = "serving.kserve.io";

export const notFound = (name: string) =>
  new KubernetesError(404, "NotFound", `${resource}.${group} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
export const alreadyExists = (name: string) =>
  new KubernetesError(409, "AlreadyExists", `${resource}.${group} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
export const conflict = (name: string) =>
  new KubernetesError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${resource}.${group} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  );
export const badRequest = (message: string) => new KubernetesError(400, "BadRequest", message);

/** 422 with the field causes, as the API server reports failed validation. */
export function invalid(name: string, causes: Array<{ field: string; message: string }>) {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  return new KubernetesError(422, "Invalid", `InferenceService.${group} "${name}" is invalid: ${text}`, {
    name,
    group,
    kind: "InferenceService",
    causes: causes.map((c) => ({ reason: "FieldValueInvalid", message: c.message, field: c.field })),
  });
}

interface Requirement {
  key: string;
  op: "=" | "!=" | "in" | "notin" | "exists" | "!exists";
  values: string[];
}

/** Parses the equality- and set-based label selector syntax (`a=b,c!=d,e in (x,y),!f`). */
export function parseLabelSelector(selector: string): (labels: Record<string, string>) => boolean {
  const requirements: Requirement[] = [];
  const parts = selector.match(/(?:[^,(]+|\([^()]*\))+/g) ?? [];
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/)))
      requirements.push({
        key: m[1],
        op: m[2] as "in" | "notin",
        values: m[3]
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      });
    else if ((m = part.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/)))
      requirements.push({ key: m[1], op: m[2] === "!=" ? "!=" : "=", values: [m[3]] });
    else if ((m = part.match(/^!\s*([\w./-]+)$/)))
      requirements.push({ key: m[1], op: "!exists", values: [] });
    else if ((m = part.match(/^([\w./-]+)$/))) requirements.push({ key: m[1], op: "exists", values: [] });
    else throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
  }
  return (labels) =>
    requirements.every(({ key, op, values }) => {
      const value = labels[key];
      switch (op) {
        case "=":
          return value === values[0];
        case "!=":
          return value !== values[0];
        case "in":
          return value !== undefined && values.includes(value);
        case "notin":
          return value === undefined || !values.includes(value);
        case "exists":
          return value !== undefined;
        case "!exists":
          return value === undefined;
      }
    });
}

type JsonValue = unknown;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface PatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

const decodePointer = (pointer: string) => {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw badRequest(`json patch path "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
};

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test), applied to a copy. */
export function jsonPatch(document: JsonValue, operations: unknown): JsonValue {
  if (!Array.isArray(operations)) throw badRequest("json patch must be an array of operations");
  let doc = structuredClone(document);
  const parentOf = (path: string[], create = false) => {
    let node: unknown = doc;
    for (const token of path.slice(0, -1)) {
      const next = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
      if (next === undefined) {
        if (!create)
          throw new KubernetesError(422, "Invalid", `jsonpatch: path "/${path.join("/")}" does not exist`);
      }
      node = next;
    }
    if (!isObject(node) && !Array.isArray(node))
      throw new KubernetesError(422, "Invalid", `jsonpatch: path "/${path.join("/")}" does not exist`);
    return node;
  };
  const read = (path: string[]) => {
    if (!path.length) return doc;
    const parent = parentOf(path);
    const key = path.at(-1)!;
    const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
    if (value === undefined)
      throw new KubernetesError(422, "Invalid", `jsonpatch: path "/${path.join("/")}" does not exist`);
    return value;
  };
  const remove = (path: string[]) => {
    read(path);
    const parent = parentOf(path);
    const key = path.at(-1)!;
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  };
  const add = (path: string[], value: unknown) => {
    if (!path.length) return void (doc = value);
    const parent = parentOf(path);
    const key = path.at(-1)!;
    if (Array.isArray(parent)) parent.splice(key === "-" ? parent.length : Number(key), 0, value);
    else parent[key] = value;
  };
  for (const operation of operations as PatchOperation[]) {
    const path = decodePointer(operation.path ?? "");
    switch (operation.op) {
      case "add":
        add(path, structuredClone(operation.value));
        break;
      case "remove":
        remove(path);
        break;
      case "replace":
        remove(path);
        add(path, structuredClone(operation.value));
        break;
      case "move": {
        const from = decodePointer(operation.from ?? "");
        const value = read(from);
        remove(from);
        add(path, value);
        break;
      }
      case "copy":
        add(path, structuredClone(read(decodePointer(operation.from ?? ""))));
        break;
      case "test":
        if (JSON.stringify(read(path)) !== JSON.stringify(operation.value))
          throw new KubernetesError(
            422,
            "Invalid",
            `jsonpatch: test operation for path "${operation.path}" failed`,
          );
        break;
      default:
        throw badRequest(`unexpected json patch operation "${operation.op}"`);
    }
  }
  return doc;
}

/** Opaque list continuation, as the API server hands out. */
export const encodeContinue = (key: { namespace: string; name: string }) =>
  Buffer.from(JSON.stringify({ v: 1, ...key })).toString("base64url");

export function decodeContinue(token: string): { namespace: string; name: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString());
    if (parsed.v === 1 && typeof parsed.namespace === "string" && typeof parsed.name === "string")
      return parsed;
  } catch {
    // fall through to the API server's message
  }
  throw badRequest(
    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
  );
}
