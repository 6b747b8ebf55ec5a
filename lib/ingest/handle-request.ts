import { CLOUDEVENTS_BATCH_TYPE, isJsonContentType, parseLoggerEvent, parseStructuredLoggerEvent, type IngestOutcome } from "./cloud-event";
import type { IngestService } from "./ingest-service";

/**
 * POST /api/ingest/kserve without the framework: authenticate, validate the CloudEvent attributes,
 * bound the body, parse it, aggregate. Every refusal is counted by reason before it is answered.
 * Cheap checks come first, so a flood of bad events costs no body read. Besides KServe's binary
 * mode (one event per POST, ce-* headers), a JSON batch of structured events is accepted: each is
 * validated and counted on its own, and the answer lists the outcomes.
 */

export const MAX_EVENT_BYTES = 1024 * 1024;

export interface IngestRequestContext {
  service: IngestService;
  isAuthorized: (authorization: string | null) => boolean;
  maxBytes?: number;
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
  "invalid-event": "Expected a KServe payload-logger CloudEvent: ce-specversion 1.0, ce-type inference request or response, ce-id, ce-namespace and ce-inferenceservicename.",
  "unsupported-media-type": "The event body must be JSON.",
  "invalid-json": "The event body is not valid JSON.",
};

const ERROR_CODES: Record<number, string> = { 400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE", 429: "RATE_LIMITED" };

const ACCEPTED_BODY = '{"accepted":true}';

function answer(outcome: IngestOutcome, message?: string): Response {
  const status = statusByOutcome[outcome];
  const body = status < 300 ? ACCEPTED_BODY : JSON.stringify({ error: { code: ERROR_CODES[status], message: message ?? messages[outcome] ?? outcome, details: { reason: outcome } } });
  return new Response(body, { status, headers: { "content-type": "application/json" } });
}

function refuse(context: IngestRequestContext, outcome: IngestOutcome, message?: string): Response {
  context.service.count(outcome);
  return answer(outcome, message);
}

export async function handleIngestRequest(request: Request, context: IngestRequestContext): Promise<Response> {
  const maxBytes = context.maxBytes ?? MAX_EVENT_BYTES;
  const { headers } = request;
  if (!context.isAuthorized(headers.get("authorization"))) return refuse(context, "unauthorized");
  if (headers.get("content-type")?.startsWith(CLOUDEVENTS_BATCH_TYPE)) return handleBatch(request, context, maxBytes);
  const event = parseLoggerEvent(headers);
  if (!event) return refuse(context, "invalid-event");
  if (!isJsonContentType(headers.get("content-type"))) return refuse(context, "unsupported-media-type");
  const declaredLength = Number(headers.get("content-length") ?? Number.NaN);
  if (declaredLength > maxBytes) return refuse(context, "too-large", `An event may carry at most ${maxBytes} bytes.`);
  // A declared length within the limit is enforced by the HTTP parser; only chunked bodies need counting.
  const text = Number.isFinite(declaredLength) ? await request.text() : await readTextWithin(request, maxBytes);
  if (text === undefined) return refuse(context, "too-large", `An event may carry at most ${maxBytes} bytes.`);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return refuse(context, "invalid-json");
  }
  const result = context.service.ingest(event, payload);
  return answer(result.outcome, result.message);
}

async function handleBatch(request: Request, context: IngestRequestContext, maxBytes: number): Promise<Response> {
  const declaredLength = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declaredLength > maxBytes) return refuse(context, "too-large", `A batch may carry at most ${maxBytes} bytes.`);
  const text = Number.isFinite(declaredLength) ? await request.text() : await readTextWithin(request, maxBytes);
  if (text === undefined) return refuse(context, "too-large", `A batch may carry at most ${maxBytes} bytes.`);
  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch {
    return refuse(context, "invalid-json");
  }
  if (!Array.isArray(events)) return refuse(context, "invalid-event", "A CloudEvents batch is a JSON array of events.");
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
  return new Response(JSON.stringify({ outcomes }), { status: 202, headers: { "content-type": "application/json" } });
}

/** The body as text, or undefined once it passes `maxBytes` (chunked bodies declare no length). */
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
