import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SandboxContext } from "../lib/context";
import type { SandboxSystem } from "../systems";
import { kubernetesTime, type Json } from "./controller";
import {
  alreadyExists,
  badRequest,
  conflict,
  decodeContinue,
  encodeContinue,
  invalid,
  jsonPatch,
  KubernetesError,
  mergePatch,
  notFound,
  parseLabelSelector,
  sendStatus,
} from "./kubernetes";
import { seedEstate } from "./seed";
import {
  apiVersion,
  KServeStore,
  toManifest,
  VersionConflict,
  type ServiceChange,
  type StoredService,
} from "./store";
import { controllerTiming } from "./traffic-source";

/**
 * KServe on Kubernetes: the `serving.kserve.io/v1beta1` InferenceService API (CRUD, merge and JSON
 * patches, resourceVersion conflicts, paging, label selectors) with a controller that rolls out
 * revisions and canaries after a speed-scaled delay.
 */

const base = "/apis/serving.kserve.io/v1beta1";
const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const defaultLoggerUrl = "http://switchboard.switchboard.svc.cluster.local/api/ingest/kserve";

type Params = { namespace: string; name: string };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const stringMap = (v: unknown): Record<string, string> =>
  isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

/** Checks what KServe's validating webhook and the CRD schema would reject. */
function validateSpec(name: string, spec: unknown): Json {
  const causes: Array<{ field: string; message: string }> = [];
  if (!isObject(spec)) throw invalid(name, [{ field: "spec", message: "Required value" }]);
  const predictor = spec.predictor;
  if (!isObject(predictor)) causes.push({ field: "spec.predictor", message: "Required value" });
  else {
    const canary = predictor.canaryTrafficPercent;
    if (
      canary !== undefined &&
      (typeof canary !== "number" || !Number.isInteger(canary) || canary < 0 || canary > 100)
    ) {
      causes.push({
        field: "spec.predictor.canaryTrafficPercent",
        message: `Invalid value: ${JSON.stringify(canary)}: must be an integer between 0 and 100`,
      });
    }
    for (const field of ["minReplicas", "maxReplicas"] as const) {
      const value = predictor[field];
      if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0))
        causes.push({
          field: `spec.predictor.${field}`,
          message: `Invalid value: ${JSON.stringify(value)}: must be a non-negative integer`,
        });
    }
    if (
      typeof predictor.minReplicas === "number" &&
      typeof predictor.maxReplicas === "number" &&
      predictor.maxReplicas > 0 &&
      predictor.maxReplicas < predictor.minReplicas
    ) {
      causes.push({
        field: "spec.predictor.maxReplicas",
        message: "Invalid value: MaxReplicas cannot be less than MinReplicas",
      });
    }
    const model = predictor.model;
    if (model !== undefined) {
      if (!isObject(model) || !isObject(model.modelFormat) || typeof model.modelFormat.name !== "string")
        causes.push({ field: "spec.predictor.model.modelFormat.name", message: "Required value" });
      else if (model.storageUri !== undefined && typeof model.storageUri !== "string")
        causes.push({ field: "spec.predictor.model.storageUri", message: "Invalid value: must be a string" });
    }
    const logger = predictor.logger;
    if (
      logger !== undefined &&
      (!isObject(logger) ||
        (logger.mode !== undefined && !["all", "request", "response"].includes(String(logger.mode))))
    ) {
      causes.push({
        field: "spec.predictor.logger.mode",
        message: 'Unsupported value: supported values: "all", "request", "response"',
      });
    }
  }
  if (causes.length) throw invalid(name, causes);
  return spec;
}

function checkKind(body: Json) {
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  if (body.kind !== undefined && body.kind !== "InferenceService")
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (InferenceService)`,
    );
}

/** Parses an incoming object; status is ignored, as with a status subresource. */
function readObject(
  body: unknown,
  namespace: string,
): {
  name?: string;
  generateName?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  resourceVersion?: string;
  spec: unknown;
} {
  if (!isObject(body)) throw badRequest("the body of the request must be an InferenceService object");
  checkKind(body);
  const metadata = isObject(body.metadata) ? body.metadata : {};
  if (metadata.namespace !== undefined && metadata.namespace !== namespace)
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  return {
    name: typeof metadata.name === "string" ? metadata.name : undefined,
    generateName: typeof metadata.generateName === "string" ? metadata.generateName : undefined,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    resourceVersion:
      metadata.resourceVersion === undefined || metadata.resourceVersion === ""
        ? undefined
        : String(metadata.resourceVersion),
    spec: body.spec,
  };
}

/** State lives per registration: tests run several sandboxes in one process. */
async function register(app: FastifyInstance, context: SandboxContext) {
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;
  const schedule = (namespace: string, name: string, at: Date) => {
    if (closed) return;
    const key = `${namespace}/${name}`;
    clearTimeout(timers.get(key));
    const timer = setTimeout(
      () => {
        timers.delete(key);
        kserve.reconcileDue(namespace, name).catch(() => {}); // the next read reconciles anyway
      },
      Math.max(0, at.getTime() - Date.now()) + 5,
    );
    timer.unref();
    timers.set(key, timer);
  };
  app.addHook("onClose", async () => {
    closed = true;
    for (const timer of timers.values()) clearTimeout(timer);
  });

  const kserve = new KServeStore(context.pool, controllerTiming(context.speed), schedule);
  await kserve.migrate();
  await seedEstate(context.pool, context.ingestUrl ?? defaultLoggerUrl);
  for (const work of await kserve.pendingWork()) schedule(work.namespace, work.name, work.at);

  const mustGet = async (namespace: string, name: string) => {
    const service = await kserve.get(namespace, name);
    if (!service) throw notFound(name);
    return service;
  };

  const list = async (namespace: string | undefined, request: FastifyRequest) => {
    const query = request.query as {
      limit?: string;
      continue?: string;
      labelSelector?: string;
      watch?: string;
    };
    if (query.watch === "true" || query.watch === "1")
      throw badRequest("watch is not supported by the sandbox; poll with GET instead");
    const matches = query.labelSelector ? parseLabelSelector(query.labelSelector) : () => true;
    const limit = query.limit ? Number(query.limit) : 0;
    if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${query.limit}`);
    const after = query.continue ? decodeContinue(query.continue) : undefined;
    const all = (await kserve.list(namespace, after)).filter((s) => matches(s.labels));
    const page = limit > 0 ? all.slice(0, limit) : all;
    const metadata: Json = { resourceVersion: await kserve.currentResourceVersion() };
    if (limit > 0 && all.length > limit) {
      const last = page.at(-1)!;
      metadata.continue = encodeContinue({ namespace: last.namespace, name: last.name });
      metadata.remainingItemCount = all.length - limit;
    }
    return { apiVersion, kind: "InferenceServiceList", metadata, items: page.map(toManifest) };
  };

  const update = async (params: Params, change: (current: StoredService) => ServiceChange) => {
    try {
      const updated = await kserve.update(params.namespace, params.name, change);
      if (!updated) throw notFound(params.name);
      return toManifest(updated);
    } catch (error) {
      if (error instanceof VersionConflict) throw conflict(params.name);
      throw error;
    }
  };

  await app.register(async (scope) => {
    scope.setErrorHandler((error: Error & { statusCode?: number }, _request, reply: FastifyReply) => {
      if (error instanceof KubernetesError) return sendStatus(reply, error);
      if (error.statusCode && error.statusCode < 500)
        return sendStatus(
          reply,
          new KubernetesError(
            error.statusCode,
            error.statusCode === 415 ? "UnsupportedMediaType" : "BadRequest",
            error.message,
          ),
        );
      context.log.error({ err: error }, "kserve emulator failed");
      return sendStatus(
        reply,
        new KubernetesError(
          500,
          "InternalError",
          "Internal error occurred: the sandbox failed to handle the request",
        ),
      );
    });

    scope.get("/version", async () => ({
      major: "1",
      minor: "30",
      gitVersion: "v1.30.4",
      platform: "linux/amd64",
    }));
    scope.get(base, async () => ({
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: apiVersion,
      resources: [
        {
          name: "inferenceservices",
          singularName: "inferenceservice",
          namespaced: true,
          kind: "InferenceService",
          shortNames: ["isvc"],
          verbs: ["delete", "get", "list", "patch", "create", "update"],
        },
      ],
    }));

    // GET /apis/serving.kserve.io/v1beta1/inferenceservices – across namespaces
    scope.get(`${base}/inferenceservices`, async (request) => list(undefined, request));
    scope.get<{ Params: { namespace: string } }>(
      `${base}/namespaces/:namespace/inferenceservices`,
      async (request) => list(request.params.namespace, request),
    );

    scope.post<{ Params: { namespace: string } }>(
      `${base}/namespaces/:namespace/inferenceservices`,
      async (request, reply) => {
        const { namespace } = request.params;
        const input = readObject(request.body, namespace);
        const name =
          input.name ??
          (input.generateName ? `${input.generateName}${Math.random().toString(36).slice(2, 7)}` : undefined);
        if (!name)
          throw invalid("", [
            { field: "metadata.name", message: "Required value: name or generateName is required" },
          ]);
        if (!dns1035.test(name) || name.length > 63) {
          throw invalid(name, [
            {
              field: "metadata.name",
              message: `Invalid value: "${name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
            },
          ]);
        }
        const spec = validateSpec(name, input.spec);
        const created = await kserve.create({
          namespace,
          name,
          labels: input.labels,
          annotations: input.annotations,
          spec,
        });
        if (!created) throw alreadyExists(name);
        return reply.code(201).send(toManifest(created));
      },
    );

    scope.get<{ Params: Params }>(`${base}/namespaces/:namespace/inferenceservices/:name`, async (request) =>
      toManifest(await mustGet(request.params.namespace, request.params.name)),
    );

    scope.put<{ Params: Params }>(
      `${base}/namespaces/:namespace/inferenceservices/:name`,
      async (request) => {
        const { namespace, name } = request.params;
        const input = readObject(request.body, namespace);
        if (input.name !== name)
          throw badRequest(
            `the name of the object (${input.name ?? ""}) does not match the name on the URL (${name})`,
          );
        if (!input.resourceVersion)
          throw invalid(name, [
            {
              field: "metadata.resourceVersion",
              message: "Invalid value: 0x0: must be specified for an update",
            },
          ]);
        const spec = validateSpec(name, input.spec);
        return update(request.params, () => ({
          labels: input.labels,
          annotations: input.annotations,
          spec,
          expectedVersion: input.resourceVersion,
        }));
      },
    );

    scope.patch<{ Params: Params }>(
      `${base}/namespaces/:namespace/inferenceservices/:name`,
      async (request) => {
        const type = (request.headers["content-type"] ?? "").split(";")[0].trim();
        if (type !== "application/merge-patch+json" && type !== "application/json-patch+json") {
          throw new KubernetesError(
            415,
            "UnsupportedMediaType",
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        return update(request.params, (current) => {
          const manifest = toManifest(current);
          const patched = (
            type === "application/merge-patch+json"
              ? mergePatch(manifest, request.body)
              : jsonPatch(manifest, request.body)
          ) as Json;
          if (!isObject(patched)) throw badRequest("the patch must leave an InferenceService object");
          const input = readObject(patched, request.params.namespace);
          if (input.name !== request.params.name)
            throw badRequest(
              `the name of the object (${input.name ?? ""}) does not match the name on the URL (${request.params.name})`,
            );
          // A patch that carries a resourceVersion is a precondition, like kubectl's --resource-version.
          return {
            labels: input.labels,
            annotations: input.annotations,
            spec: validateSpec(request.params.name, input.spec),
            expectedVersion: input.resourceVersion,
          };
        });
      },
    );

    scope.delete<{ Params: Params }>(
      `${base}/namespaces/:namespace/inferenceservices/:name`,
      async (request) => {
        const deleted = await kserve.delete(request.params.namespace, request.params.name);
        if (!deleted) throw notFound(request.params.name);
        const manifest = toManifest(deleted);
        (manifest.metadata as Json).deletionTimestamp = kubernetesTime(new Date().toISOString());
        return manifest;
      },
    );
  });
}

export const system: SandboxSystem = { name: "kserve", register };
