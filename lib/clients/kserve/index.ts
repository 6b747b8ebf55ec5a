import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import {
  CloudApiError,
  collect,
  createHttpClient,
  paginate,
  type TokenProvider,
  type TransportOptions,
} from "../http";
import {
  inferenceServiceListSchema,
  inferenceServiceSchema,
  type Condition,
  type InferenceService,
} from "./schemas";

export * from "./schemas";

/**
 * Typed client for KServe InferenceServices through the Kubernetes API: plain REST, the shared
 * transport's retries and timeouts, Kubernetes `Status` errors, and the canary operations KServe
 * defines on `spec.predictor.canaryTrafficPercent` (set, promote = remove, roll back = 0).
 */

export interface KServeClientOptions extends TransportOptions {
  /** The Kubernetes API server, e.g. https://aks-xyz.hcp.westeurope.azmk8s.io:443. */
  apiUrl: string;
  /** Used when a call does not name one. */
  namespace?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  /** Page size; the client follows `continue` tokens. */
  limit?: number;
}

/** Reads a Kubernetes `Status` body: the reason (NotFound, Conflict, AlreadyExists, ...) is the error code. */
export function parseKubernetesStatus(
  _status: number,
  body: unknown,
): { errorCode?: string; message?: string } {
  if (!body || typeof body !== "object") return {};
  const b = body as { kind?: unknown; reason?: unknown; message?: unknown };
  return {
    errorCode: typeof b.reason === "string" ? b.reason : undefined,
    message: typeof b.message === "string" ? b.message : undefined,
  };
}

/** Someone else changed the object since it was read (stale resourceVersion). */
export const isConflict = (error: unknown) =>
  error instanceof CloudApiError && error.status === 409 && error.errorCode === "Conflict";
export const isAlreadyExists = (error: unknown) =>
  error instanceof CloudApiError && error.status === 409 && error.errorCode === "AlreadyExists";

const serviceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/**
 * The token for the Kubernetes API: a configured one, else the pod's projected service-account
 * token, re-read every minute because the kubelet rotates it. Undefined when neither exists.
 */
export async function kubernetesTokenFromEnvironment(
  options: { token?: string; tokenPath?: string; now?: () => number } = {},
): Promise<TokenProvider | undefined> {
  if (options.token) {
    const token = options.token;
    return async () => token;
  }
  const path = options.tokenPath ?? serviceAccountTokenPath;
  const exists = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return undefined;
  const now = options.now ?? Date.now;
  let cached: { token: string; readAt: number } | undefined;
  return async () => {
    if (!cached || now() - cached.readAt > 60_000)
      cached = { token: (await readFile(path, "utf8")).trim(), readAt: now() };
    return cached.token;
  };
}

export function createKServeClient(options: KServeClientOptions) {
  const http = createHttpClient({
    service: "Kubernetes",
    baseUrl: options.apiUrl,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs ?? 30_000,
    retryBudgetMs: options.retryBudgetMs,
    maxAttempts: options.maxAttempts,
    parseError: parseKubernetesStatus,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  const defaultNamespace = options.namespace ?? "default";
  const collection = (namespace?: string) =>
    `/apis/serving.kserve.io/v1beta1/namespaces/${encodeURIComponent(namespace ?? defaultNamespace)}/inferenceservices`;
  const item = (name: string, namespace?: string) => `${collection(namespace)}/${encodeURIComponent(name)}`;

  async function listPage(list: ListOptions & { continueToken?: string }) {
    const page = await http.request("GET", collection(list.namespace), {
      query: { labelSelector: list.labelSelector, limit: list.limit, continue: list.continueToken },
      schema: inferenceServiceListSchema,
    });
    return {
      items: page.items,
      continueToken: page.metadata.continue || undefined,
      remainingItemCount: page.metadata.remainingItemCount,
    };
  }

  /** A merge patch that sets fixed values: repeating it is harmless, so it may be retried. */
  const mergePatch = (name: string, patch: unknown, namespace?: string) =>
    http.request("PATCH", item(name, namespace), {
      body: patch,
      contentType: "application/merge-patch+json",
      schema: inferenceServiceSchema,
      idempotent: true,
    });

  const withPrecondition = (spec: unknown, resourceVersion?: string) => ({
    ...(resourceVersion ? { metadata: { resourceVersion } } : {}),
    spec,
  });

  /**
   * Rolls out a new model as a canary taking `percent` of traffic; the rest stays on the last
   * rolled-out revision. Pass `resourceVersion` to fail on a concurrent change instead of overwriting it.
   */
  function setCanary(
    name: string,
    storageUri: string,
    percent: number,
    canary: { namespace?: string; resourceVersion?: string } = {},
  ): Promise<InferenceService> {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw new RangeError(`canary percent must be an integer from 0 to 100, got ${percent}`);
    return mergePatch(
      name,
      withPrecondition(
        { predictor: { canaryTrafficPercent: percent, model: { storageUri } } },
        canary.resourceVersion,
      ),
      canary.namespace,
    );
  }

  /** Sends all traffic to the latest revision (removes canaryTrafficPercent). */
  function promoteCanary(
    name: string,
    promote: { namespace?: string; resourceVersion?: string } = {},
  ): Promise<InferenceService> {
    return mergePatch(
      name,
      withPrecondition({ predictor: { canaryTrafficPercent: null } }, promote.resourceVersion),
      promote.namespace,
    );
  }

  /** Sends all traffic back to the previously rolled-out revision (canaryTrafficPercent 0). */
  function rollback(
    name: string,
    rollbackOptions: { namespace?: string; resourceVersion?: string } = {},
  ): Promise<InferenceService> {
    return mergePatch(
      name,
      withPrecondition({ predictor: { canaryTrafficPercent: 0 } }, rollbackOptions.resourceVersion),
      rollbackOptions.namespace,
    );
  }

  return {
    listPage,

    /** Every InferenceService in the namespace, following `continue` tokens. */
    list(list: ListOptions = {}): Promise<InferenceService[]> {
      return collect(
        paginate((token) =>
          listPage({ ...list, continueToken: token }).then((page) => ({
            items: page.items,
            nextPageToken: page.continueToken,
          })),
        ),
      );
    },

    get(name: string, namespace?: string): Promise<InferenceService> {
      return http.request("GET", item(name, namespace), { schema: inferenceServiceSchema });
    },

    create(
      service: {
        metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
        spec: Record<string, unknown>;
      },
      namespace?: string,
    ): Promise<InferenceService> {
      return http.request("POST", collection(namespace), {
        body: { apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", ...service },
        schema: inferenceServiceSchema,
      });
    },

    /** PUT: fails with a 409 Conflict when `service.metadata.resourceVersion` is stale. */
    replace(service: InferenceService): Promise<InferenceService> {
      return http.request("PUT", item(service.metadata.name, service.metadata.namespace), {
        body: service,
        schema: inferenceServiceSchema,
        idempotent: true,
      });
    },

    patch(
      name: string,
      patch: unknown,
      patchOptions: { type?: "merge" | "json"; namespace?: string } = {},
    ): Promise<InferenceService> {
      if (patchOptions.type === "json")
        return http.request("PATCH", item(name, patchOptions.namespace), {
          body: patch,
          contentType: "application/json-patch+json",
          schema: inferenceServiceSchema,
        });
      return mergePatch(name, patch, patchOptions.namespace);
    },

    async delete(name: string, namespace?: string): Promise<void> {
      // Kubernetes answers with the deleted object or a Status, depending on finalizers.
      await http.request("DELETE", item(name, namespace), { schema: z.object({}).loose(), idempotent: true });
    },

    setCanary,
    promoteCanary,
    rollback,
  };
}

export type KServeClient = ReturnType<typeof createKServeClient>;

export interface ServiceSummary {
  name: string;
  namespace: string;
  isReady: boolean;
  /** The spec has been seen by the controller (observedGeneration caught up). */
  isReconciled: boolean;
  /** The first condition that is not True, when not ready. */
  failing?: { type: string; status: string; reason?: string; message?: string };
  transitionStatus?: string;
  model: { format?: string; storageUri?: string; runtime?: string; protocolVersion?: string };
  canaryTrafficPercent?: number;
  isCanaryInProgress: boolean;
  revisions: {
    latestCreated?: string;
    latestReady?: string;
    latestRolledout?: string;
    previousRolledout?: string;
  };
  /** Traffic per revision (targets on the same revision are added up). */
  traffic: Array<{ revisionName: string; percent: number; tags: string[]; isLatest: boolean }>;
  url?: string;
}

/** Most specific first: a failing predictor explains a failing Ready better than Ready does. */
const conditionOrder = ["Ready", "IngressReady", "PredictorReady"];

/** What a person needs to know about a service at a glance. Pure. */
export function summariseService(service: InferenceService): ServiceSummary {
  const status = service.status ?? {};
  const conditions: Condition[] = status.conditions ?? [];
  const ready = conditions.find((c) => c.type === "Ready");
  const isReady = ready?.status === "True";
  // Prefer the most specific failing condition: the predictor or ingress, then Ready itself.
  const notTrue = conditions.filter((c) => c.status !== "True");
  const failing = isReady
    ? undefined
    : ([...notTrue].sort((a, b) => rank(b.type) - rank(a.type))[0] ??
      (ready
        ? undefined
        : {
            type: "Ready",
            status: "Unknown",
            reason: "NotReconciled",
            message: "The controller has not reported status yet.",
          }));
  const predictor = status.components?.predictor;
  const traffic = new Map<
    string,
    { revisionName: string; percent: number; tags: string[]; isLatest: boolean }
  >();
  for (const target of predictor?.traffic ?? []) {
    const revisionName =
      target.revisionName ??
      (target.latestRevision ? predictor?.latestReadyRevision : undefined) ??
      "unknown";
    const entry = traffic.get(revisionName) ?? { revisionName, percent: 0, tags: [], isLatest: false };
    entry.percent += target.percent ?? 0;
    if (target.tag) entry.tags.push(target.tag);
    entry.isLatest ||= target.latestRevision === true;
    traffic.set(revisionName, entry);
  }
  const model = service.spec.predictor.model;
  const canary = service.spec.predictor.canaryTrafficPercent;
  const split = [...traffic.values()].filter((t) => t.percent > 0);
  return {
    name: service.metadata.name,
    namespace: service.metadata.namespace,
    isReady,
    isReconciled:
      status.observedGeneration !== undefined && status.observedGeneration === service.metadata.generation,
    failing: failing && {
      type: failing.type,
      status: failing.status,
      reason: failing.reason,
      message: failing.message,
    },
    transitionStatus: status.modelStatus?.transitionStatus,
    model: {
      format: model?.modelFormat.name,
      storageUri: model?.storageUri,
      runtime: model?.runtime,
      protocolVersion: model?.protocolVersion,
    },
    canaryTrafficPercent: canary,
    isCanaryInProgress: split.length > 1,
    revisions: {
      latestCreated: predictor?.latestCreatedRevision,
      latestReady: predictor?.latestReadyRevision,
      latestRolledout: predictor?.latestRolledoutRevision,
      previousRolledout: predictor?.previousRolledoutRevision,
    },
    traffic: [...traffic.values()].sort((a, b) => b.percent - a.percent),
    url: status.url,
  };
}

function rank(type: string) {
  const index = conditionOrder.indexOf(type);
  return index < 0 ? 0.5 : index;
}
