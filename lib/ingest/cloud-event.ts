import { createHash, timingSafeEqual } from "node:crypto";

/**
 * KServe's payload logger posts one CloudEvent 1.0 in binary mode per request and per response
 * (kserve/kserve pkg/logger/worker.go): the body is the inference payload, the attributes are
 * ce-* headers, and a request and its response share ce-id.
 */

export const LOGGER_EVENT_TYPES = {
  "org.kubeflow.serving.inference.request": "request",
  "org.kubeflow.serving.inference.response": "response",
} as const;

export type LoggerEventKind = (typeof LOGGER_EVENT_TYPES)[keyof typeof LOGGER_EVENT_TYPES];

export interface LoggerEvent {
  id: string;
  kind: LoggerEventKind;
  namespace: string;
  service: string;
  /** "default" or "canary" (KServe sets ce-endpoint); absent on older loggers. */
  endpoint?: string;
  /** ce-time in ms, when present and parseable. */
  timeMs?: number;
}

/** Why an event was not aggregated; each is counted (IngestCounter.outcome). */
export type IngestRejection =
  | "unauthorized"
  | "invalid-event"
  | "unsupported-media-type"
  | "too-large"
  | "invalid-json"
  | "invalid-payload"
  | "stale-event"
  | "monitor-limit";

export type IngestOutcome = IngestRejection | "accepted-request" | "accepted-response" | "unmonitored";

export type HeaderReader = { get(name: string): string | null };

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The event's attributes, or undefined when a required one is missing or malformed. */
export function parseLoggerEvent(headers: HeaderReader): LoggerEvent | undefined {
  if (headers.get("ce-specversion") !== "1.0") return undefined;
  const kind = LOGGER_EVENT_TYPES[headers.get("ce-type") as keyof typeof LOGGER_EVENT_TYPES];
  const id = headers.get("ce-id");
  const namespace = headers.get("ce-namespace");
  const service = headers.get("ce-inferenceservicename");
  if (!kind || !id || id.length > 256 || !namespace || !service) return undefined;
  if (!KUBERNETES_NAME.test(namespace) || !KUBERNETES_NAME.test(service)) return undefined;
  const time = headers.get("ce-time");
  const timeMs = time ? Date.parse(time) : undefined;
  return {
    id,
    kind,
    namespace,
    service,
    endpoint: headers.get("ce-endpoint") ?? undefined,
    timeMs: Number.isFinite(timeMs) ? timeMs : undefined,
  };
}

/** One event of a structured-mode batch: attributes as JSON members, the payload in `data`. */
export function parseStructuredLoggerEvent(
  event: unknown,
): { event: LoggerEvent; data: unknown } | undefined {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return undefined;
  const attributes = event as Record<string, unknown>;
  const parsed = parseLoggerEvent({
    get: (name) => {
      const value = attributes[name.slice(3)];
      return typeof value === "string" ? value : null;
    },
  });
  if (!parsed) return undefined;
  const { data } = attributes;
  // data_base64 or a string body would be JSON encoded as text: accept it parsed, as KServe posts JSON.
  if (typeof data === "string") {
    try {
      return { event: parsed, data: JSON.parse(data) };
    } catch {
      return undefined;
    }
  }
  return data === undefined ? undefined : { event: parsed, data };
}

/** The CloudEvents JSON batch format (a collector in front of the logger may send many events per POST). */
export const CLOUDEVENTS_BATCH_TYPE = "application/cloudevents-batch+json";

/** JSON media types only: KServe sends application/json; a missing header is tolerated. */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return true;
  const essence = contentType.split(";", 1)[0].trim().toLowerCase();
  return essence === "application/json" || essence.endsWith("+json");
}

/**
 * Compares `Authorization: Bearer <secret>` in constant time. Both sides are hashed first, so
 * timingSafeEqual sees equal lengths and the secret's length does not leak either.
 */
export function createSecretCheck(secret: string): (authorization: string | null) => boolean {
  const expected = createHash("sha256").update(secret).digest();
  return (authorization) => {
    if (!authorization || !authorization.startsWith("Bearer ")) return false;
    const presented = createHash("sha256").update(authorization.slice(7)).digest();
    return timingSafeEqual(presented, expected);
  };
}
