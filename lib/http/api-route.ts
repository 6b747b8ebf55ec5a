import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { translateCloudError } from "@/lib/cloud-errors";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { formatZodError } from "@/lib/validation/format";
import { findUnsafeText } from "@/lib/validation/text";

type Access = Permission | "signed-in" | "public";

interface RouteSpec<Q extends z.ZodType, B extends z.ZodType, P> {
  /** Who may call it: a permission, any signed-in person, or anyone (health checks, ingest). */
  access: Access;
  query?: Q;
  body?: B;
  /** The path segments (`[id]`), checked like the query so a malformed one is a 400, never a database error. */
  params?: z.ZodType<P>;
}

interface RouteContext<Q extends z.ZodType, B extends z.ZodType, P> {
  request: NextRequest;
  user: CurrentUser;
  query: z.output<Q>;
  body: z.output<B>;
  params: P;
}

/** Bigger bodies are refused before parsing; the largest real one (a launch) is a few kilobytes. */
const maxBodyBytes = 256 * 1024;

/** BigInt (zod's bounds on a bigint field) and anything else JSON cannot carry becomes text, never an empty 500. */
const jsonSafe = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

export function jsonResponse(body: unknown, init: ResponseInit = {}): NextResponse {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return new NextResponse(JSON.stringify(body, jsonSafe), { ...init, headers });
}

export function errorResponse(error: unknown, requestId?: string): NextResponse {
  const known = translateCloudError(error);
  if (known) {
    if (known.status >= 500) logger.error({ err: known, requestId }, known.message);
    const headers = new Headers();
    if (known.retryAfterMs !== undefined)
      headers.set("retry-after", String(Math.ceil(known.retryAfterMs / 1000)));
    if (known.code === "UNSUPPORTED_MEDIA_TYPE") headers.set("accept", "application/json");
    return jsonResponse(
      { error: { code: known.code, message: known.message, details: known.details } },
      { status: known.status, headers },
    );
  }
  logger.error({ err: error, requestId }, "unhandled error in route handler");
  return jsonResponse(
    {
      error: {
        code: "INTERNAL",
        message: "Something went wrong on our side. Try again; if it persists, tell the platform team.",
      },
    },
    { status: 500 },
  );
}

/** Mutations must come from our own pages: next-auth's CSRF check covers only its own routes. */
function assertSameOrigin(request: NextRequest) {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return;
  // `Origin: null` (sandboxed frames, file: pages) and malformed values are cross-origin too.
  const originHost = URL.canParse(origin) ? new URL(origin).host : null;
  if (originHost !== host) throw new AppError("FORBIDDEN", "Cross-origin request refused.");
}

/**
 * Only JSON changes anything: a form or text/plain post is what another site can send without a
 * CORS preflight. Bodyless actions (cancel, withdraw) may omit the type.
 */
function assertJsonBody(request: NextRequest, expectsBody: boolean) {
  const type = request.headers.get("content-type");
  const isJson = type !== null && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type.slice(0, 200));
  if (type === null ? expectsBody : !isJson)
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the request body as JSON (content-type: application/json).",
    );
}

function parseInput<S extends z.ZodType>(schema: S, raw: unknown, field: string): z.output<S> {
  const unsafe = findUnsafeText(raw);
  if (unsafe) {
    const path = unsafe.path.join(".") || field;
    throw new AppError("BAD_REQUEST", `${path}: ${unsafe.message}`, {
      details: [{ path: unsafe.path, message: unsafe.message }],
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new AppError("BAD_REQUEST", formatZodError(parsed.error), {
      details: parsed.error.issues.map(({ code, path, message }) => ({ code, path, message })),
    });
  return parsed.data;
}

async function readJsonBody(request: NextRequest): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  const text = declared > maxBodyBytes ? null : await request.text();
  if (text === null || Buffer.byteLength(text) > maxBodyBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `The request body may be at most ${maxBodyBytes / 1024} KB.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body must be JSON.");
  }
}

/**
 * Every route handler goes through here: session and permission check (401/403), zod parsing of
 * path segments, query and body (400 naming the field), and one mapping from errors to JSON
 * responses. API answers are per person, so no cache may keep them.
 */
export function apiRoute<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  P = Record<string, string>,
>(spec: RouteSpec<Q, B, P>, handler: (context: RouteContext<Q, B, P>) => Promise<unknown>) {
  const route = async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
    let response: Response;
    try {
      const user =
        spec.access === "public"
          ? (null as unknown as CurrentUser)
          : await requireUser(spec.access === "signed-in" ? undefined : spec.access);
      if (request.method !== "GET" && request.method !== "HEAD" && spec.access !== "public") {
        assertSameOrigin(request);
        assertJsonBody(request, spec.body !== undefined);
      }
      const params = parseInput(spec.params ?? z.unknown(), await segment.params, "path");
      const query = spec.query
        ? parseInput(spec.query, Object.fromEntries(request.nextUrl.searchParams), "query")
        : undefined;
      const body = spec.body ? parseInput(spec.body, await readJsonBody(request), "body") : undefined;
      const result = await handler({
        request,
        user,
        query: query as z.output<Q>,
        body: body as z.output<B>,
        params: params as P,
      });
      response = result instanceof Response ? result : jsonResponse(result);
    } catch (error) {
      response = errorResponse(error, requestId);
    }
    response.headers.set("x-request-id", requestId);
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    return response;
  };
  // The fuzz suite generates requests from the same schemas the route checks.
  return Object.assign(route, { spec });
}

/** Next answers a method a route does not export with an empty 405; this says so in JSON. */
export function methodNotAllowed(request: NextRequest): Response {
  return jsonResponse(
    { error: { code: "METHOD_NOT_ALLOWED", message: `${request.method} is not supported here.` } },
    { status: 405, headers: { "cache-control": "no-store" } },
  );
}
