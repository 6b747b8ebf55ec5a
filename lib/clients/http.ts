import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { z } from "zod";

/**
 * The one transport every cloud client uses: bearer auth, timeouts, retries with backoff and jitter
 * (honouring Retry-After) within a total budget, typed errors, and response validation at the edge.
 * Pure: configuration is injected; no environment, database or framework imports. Traced through
 * @opentelemetry/api, a no-op until a process registers a tracer provider (lib/telemetry).
 */

const tracer = trace.getTracer("switchboard-cloud-clients");

export type TokenProvider = () => Promise<string>;

export interface HttpClientOptions {
  /** Name used in error messages, e.g. "Databricks". */
  service: string;
  baseUrl: string;
  getToken?: TokenProvider;
  /** Per attempt. Databricks' SDK uses 60 s. */
  timeoutMs?: number;
  /** Total time spent retrying before giving up (Databricks' SDK: 300 s). */
  retryBudgetMs?: number;
  maxAttempts?: number;
  /** Reads a service-specific error body into code and message. */
  parseError?: (status: number, body: unknown) => { errorCode?: string; message?: string };
  fetch?: typeof fetch;
  /** Replaceable for tests. */
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

/** How a typed client reaches its service: what each takes from its caller and hands to createHttpClient. */
export type TransportOptions = Pick<
  HttpClientOptions,
  "getToken" | "timeoutMs" | "retryBudgetMs" | "maxAttempts" | "fetch" | "sleep"
>;

export interface RequestOptions<T> {
  query?: Record<string, string | number | boolean | undefined | null | Array<string | number>>;
  body?: unknown;
  /** Sent as-is instead of JSON (e.g. form-encoded for Prometheus). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  contentType?: string;
  schema: z.ZodType<T>;
  /** Safe to retry after an ambiguous failure (timeouts, 5xx). Defaults to true for GET. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

/** Statuses worth retrying, as in MLflow's and Databricks' own clients. */
const retryableStatuses = new Set([408, 429, 500, 502, 503, 504]);

export class CloudApiError extends Error {
  constructor(
    readonly service: string,
    /** 0 when no HTTP answer arrived (timeout, connection refused). */
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(`${service}: ${message}${errorCode ? ` (${errorCode}${status ? `, HTTP ${status}` : ""})` : ""}`);
    this.name = "CloudApiError";
  }

  /** RESOURCE_ALREADY_EXISTS arrives as 400 from open-source MLflow and 409 from Databricks. */
  get isAlreadyExists() {
    return (
      this.errorCode === "RESOURCE_ALREADY_EXISTS" ||
      this.errorCode === "ALREADY_EXISTS" ||
      (this.status === 409 && this.errorCode === "")
    );
  }

  get isNotFound() {
    return (
      this.status === 404 || this.errorCode === "RESOURCE_DOES_NOT_EXIST" || this.errorCode === "NOT_FOUND"
    );
  }
}

/** The response did not match the contract we rely on: fail loudly, never half-read. */
export class ContractError extends Error {
  constructor(service: string, path: string, issues: string) {
    super(`${service} answered ${path} with an unexpected shape: ${issues}`);
    this.name = "ContractError";
  }
}

export interface HttpClient {
  request<T>(method: string, path: string, options: RequestOptions<T>): Promise<T>;
  readonly service: string;
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Backoff like Databricks' SDK: min(10, attempt) s, with full jitter in the upper half. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(10, attempt) * 1000;
  return base / 2 + random() * (base / 2);
}

const defaultParseError = (_status: number, body: unknown) => {
  const b = (body ?? {}) as Record<string, unknown>;
  return {
    errorCode:
      typeof b.error_code === "string"
        ? b.error_code
        : typeof b.reason === "string"
          ? b.reason
          : typeof b.errorType === "string"
            ? b.errorType
            : undefined,
    message: typeof b.message === "string" ? b.message : typeof b.error === "string" ? b.error : undefined,
  };
};

function buildUrl(baseUrl: string, path: string, query: RequestOptions<unknown>["query"]) {
  const url = new URL(baseUrl.replace(/\/$/, "") + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  return url;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const {
    service,
    timeoutMs = 60_000,
    retryBudgetMs = 300_000,
    maxAttempts = 8,
    parseError = defaultParseError,
    fetch: fetchImpl = fetch,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  } = options;
  const system = service.toLowerCase().replace(/\s+/g, "-");

  async function attempt(
    method: string,
    url: URL,
    request: RequestOptions<unknown>,
  ): Promise<{ status: number; body: unknown; retryAfterMs?: number }> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (options.userAgent) headers["user-agent"] = options.userAgent;
    if (options.getToken) headers.authorization = `Bearer ${await options.getToken()}`;
    let body: string | undefined;
    if (request.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(request.form).toString();
    } else if (request.body !== undefined) {
      headers["content-type"] = request.contentType ?? "application/json";
      body = JSON.stringify(request.body);
    }
    const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
    const response = await fetchImpl(url, { method, headers, body, signal: AbortSignal.any(signals) });
    const text = await response.text();
    let parsed: unknown = text;
    if (text && (response.headers.get("content-type") ?? "").includes("json")) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return {
      status: response.status,
      body: parsed,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
    };
  }

  /** One span per logical call, retries included: which system, what, how it ended, after how many attempts. */
  async function request<T>(method: string, path: string, request: RequestOptions<T>): Promise<T> {
    const url = buildUrl(options.baseUrl, path, request.query);
    const attributes = {
      "switchboard.cloud.system": system,
      "http.request.method": method,
      "url.path": url.pathname,
      "server.address": url.hostname,
    };
    return tracer.startActiveSpan(
      `${service} ${method} ${path}`,
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        try {
          return await requestWithRetries(method, url, path, request, span);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          span.setAttribute(
            "error.type",
            error instanceof CloudApiError ? error.errorCode || String(error.status) : (error as Error).name,
          );
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  async function requestWithRetries<T>(
    method: string,
    url: URL,
    path: string,
    request: RequestOptions<T>,
    span: Span,
  ): Promise<T> {
    const idempotent = request.idempotent ?? (method === "GET" || method === "HEAD");
    const deadline = Date.now() + retryBudgetMs;
    for (let attemptNo = 1; ; attemptNo++) {
      span.setAttribute("switchboard.cloud.attempts", attemptNo);
      let failure: CloudApiError;
      try {
        const { status, body, retryAfterMs } = await attempt(method, url, request);
        span.setAttribute("http.response.status_code", status);
        if (status >= 200 && status < 300) {
          const result = request.schema.safeParse(body === "" ? {} : body);
          if (!result.success) {
            throw new ContractError(
              service,
              path,
              result.error.issues
                .slice(0, 3)
                .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
                .join("; "),
            );
          }
          return result.data;
        }
        const {
          errorCode = "",
          message = typeof body === "string" && body && body.length < 300 ? body : `HTTP ${status}`,
        } = parseError(status, body);
        // 429 means the request was not processed, so it is safe to retry even when not idempotent.
        const retryable = retryableStatuses.has(status) && (idempotent || status === 429 || status === 503);
        failure = new CloudApiError(service, status, errorCode, message, retryable, retryAfterMs);
      } catch (error) {
        if (error instanceof ContractError) throw error;
        if (request.signal?.aborted) throw error;
        if (error instanceof CloudApiError) {
          // A token provider's typed failure (Entra ID refusing the secret) keeps its code and retry decision.
          failure = error;
        } else {
          const isTimeout =
            (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
          failure = new CloudApiError(
            service,
            0,
            isTimeout ? "DEADLINE_EXCEEDED" : "UNREACHABLE",
            isTimeout
              ? `no answer within ${timeoutMs} ms`
              : `cannot reach ${options.baseUrl}: ${(error as Error).message}`,
            idempotent,
          );
        }
      }
      if (!failure.retryable || attemptNo >= maxAttempts) throw failure;
      const wait = failure.retryAfterMs ?? (failure.status === 429 ? 1000 : backoffMs(attemptNo));
      if (Date.now() + wait > deadline) throw failure;
      span.addEvent("retry", {
        attempt: attemptNo,
        "wait.ms": Math.round(wait),
        "error.type": failure.errorCode || String(failure.status),
      });
      await sleep(wait);
    }
  }

  return { request, service };
}

/**
 * Iterates every item of a paged list. Keeps going while a page token comes back, even after an
 * empty page (Unity Catalog returns those).
 */
export async function* paginate<T>(
  fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; nextPageToken?: string | null }>,
): AsyncGenerator<T> {
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken);
    yield* page.items;
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
}

/** Collects an async iterable (up to `limit` items). */
export async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
