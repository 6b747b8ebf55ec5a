import {
  CLOUDEVENTS_BATCH_TYPE,
  isJsonContentType,
  parseLoggerEvent,
  parseStructuredLoggerEvent,
  type HeaderReader,
  type IngestOutcome,
} from "./cloud-event";
import type { IngestService } from "./ingest-service";

/**
 * POST /api/ingest/kserve without a framework: authenticate, validate the CloudEvent attributes,
 * bound the body, parse it, aggregate. Every refusal is counted by reason before it is answered.
 * Cheap checks come first, so a flood of bad events costs no body read. Besides KServe's binary
 * mode (one event per POST, ce-* headers), a JSON batch of structured events is accepted: each is
 * validated and counted on its own, and the answer lists the outcomes.
 * `handleIngest` is the one implementation; the ingest process (server.ts) feeds it straight from
 * node:http, the Next route through `handleIngestRequest`.
 */

export const MAX_EVENT_BYTES = 1024 * 1024;

export interface IngestRequestContext {
  service: IngestService;
  isAuthorized: (authorization: string | null) => boolean;
  maxBytes?: number;
}

/** What the core needs of a request, whichever server received it. */
export interface IngestRequest {
  headers: HeaderReader;
  /** The body as UTF-8 text, or undefined once it passes `maxBytes` (chunked bodies declare no length). */
  readBody(maxBytes: number): Promise<string | undefined>;
}

/** Always JSON: `{"accepted":true}`, a batch's `{"outcomes":{...}}`, or `{"error":{code,message,details}}`. */
export interface IngestAnswer {
  status: number;
  body: string;
}

const statusByOutcome: Record<IngestOutcome, number> = {
  "accepted-request": 202,
  "accepted-response": 202,
  unmonitored: 202,
  unauthorized: 401,
  "invalid-event": 400,
  "unsupported-media-type": 415,
  "too-large": 413,
  "invalid-json": 400,
  "invalid-payload": 400,
  "stale-event": 400,
  "monitor-limit": 429,
};

const messages: Partial<Record<IngestOutcome, string>> = {
  unauthorized: "Present the ingest shared secret as a bearer token.",
  "invalid-event":
    "Expected a KServe payload-logger CloudEvent: ce-specversion 1.0, ce-type inference request or response, ce-id, ce-namespace and ce-inferenceservicename.",
  "unsupported-media-type": "The event body must be JSON.",
  "invalid-json": "The event body is not valid JSON.",
};

const ERROR_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

const ACCEPTED: IngestAnswer = { status: 202, body: '{"accepted":true}' };

/** The error body every Switchboard API answers with (lib/http/api-route.ts). */
export function errorBody(code: string, message: string, details?: unknown): string {
  return JSON.stringify({ error: { code, message, details } });
}

function answer(outcome: IngestOutcome, message?: string): IngestAnswer {
  const status = statusByOutcome[outcome];
  if (status < 300) return ACCEPTED;
  return {
    status,
    body: errorBody(ERROR_CODES[status], message ?? messages[outcome] ?? outcome, { reason: outcome }),
  };
}

function refuse(context: IngestRequestContext, outcome: IngestOutcome, message?: string): IngestAnswer {
  context.service.count(outcome);
  return answer(outcome, message);
}

export async function handleIngest(
  request: IngestRequest,
  context: IngestRequestContext,
): Promise<IngestAnswer> {
  const maxBytes = context.maxBytes ?? MAX_EVENT_BYTES;
  const { headers } = request;
  if (!context.isAuthorized(headers.get("authorization"))) return refuse(context, "unauthorized");
  const isBatch = headers.get("content-type")?.startsWith(CLOUDEVENTS_BATCH_TYPE) ?? false;
  const event = isBatch ? undefined : parseLoggerEvent(headers);
  if (!isBatch) {
    if (!event) return refuse(context, "invalid-event");
    if (!isJsonContentType(headers.get("content-type"))) return refuse(context, "unsupported-media-type");
  }
  const tooLarge = `${isBatch ? "A batch" : "An event"} may carry at most ${maxBytes} bytes.`;
  if (Number(headers.get("content-length") ?? Number.NaN) > maxBytes)
    return refuse(context, "too-large", tooLarge);
  const text = await request.readBody(maxBytes);
  if (text === undefined) return refuse(context, "too-large", tooLarge);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(context, "invalid-json");
  }
  if (isBatch) return ingestBatch(parsed, context);
  const result = context.service.ingest(event!, parsed);
  return answer(result.outcome, result.message);
}

function ingestBatch(events: unknown, context: IngestRequestContext): IngestAnswer {
  if (!Array.isArray(events))
    return refuse(context, "invalid-event", "A CloudEvents batch is a JSON array of events.");
  const outcomes: Partial<Record<IngestOutcome, number>> = {};
  for (const item of events) {
    const parsed = parseStructuredLoggerEvent(item);
    let outcome: IngestOutcome;
    if (parsed) outcome = context.service.ingest(parsed.event, parsed.data).outcome;
    else {
      outcome = "invalid-event";
      context.service.count(outcome);
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  // The batch itself was fine: per-event refusals are reported, not turned into a 4xx for all.
  return { status: 202, body: JSON.stringify({ outcomes }) };
}

/** The Next route's adapter: a Web Request in, a Web Response out. */
export async function handleIngestRequest(
  request: Request,
  context: IngestRequestContext,
): Promise<Response> {
  const declaresLength = Number.isFinite(Number(request.headers.get("content-length") ?? Number.NaN));
  const { status, body } = await handleIngest(
    {
      headers: request.headers,
      // A declared length within the limit is enforced by the HTTP parser; only chunked bodies need counting.
      readBody: (maxBytes) => (declaresLength ? request.text() : readTextWithin(request, maxBytes)),
    },
    context,
  );
  return new Response(body, { status, headers: { "content-type": "application/json" } });
}

async function readTextWithin(request: Request, maxBytes: number): Promise<string | undefined> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
