import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import type { Permission } from "@/lib/auth/permissions";
import { translateCloudError } from "@/lib/cloud-errors";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { formatZodError } from "@/lib/validation/format";

type Access = Permission | "signed-in" | "public";

interface RouteSpec<Q extends z.ZodType, B extends z.ZodType> {
  /** Who may call it: a permission, any signed-in person, or anyone (health checks, ingest). */
  access: Access;
  query?: Q;
  body?: B;
}

interface RouteContext<Q extends z.ZodType, B extends z.ZodType, P> {
  request: NextRequest;
  user: CurrentUser;
  query: z.output<Q>;
  body: z.output<B>;
  params: P;
}

export function errorResponse(error: unknown, requestId?: string): NextResponse {
  const known = translateCloudError(error);
  if (known) {
    if (known.status >= 500) logger.error({ err: known, requestId }, known.message);
    const response = NextResponse.json({ error: { code: known.code, message: known.message, details: known.details } }, { status: known.status });
    if (known.retryAfterMs !== undefined) response.headers.set("retry-after", String(Math.ceil(known.retryAfterMs / 1000)));
    return response;
  }
  logger.error({ err: error, requestId }, "unhandled error in route handler");
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong on our side. Try again; if it persists, tell the platform team." } }, { status: 500 });
}

/** Mutations must come from our own pages: next-auth's CSRF check covers only its own routes. */
function assertSameOrigin(request: NextRequest) {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && host && new URL(origin).host !== host) throw new AppError("FORBIDDEN", "Cross-origin request refused.");
}

/**
 * Every route handler goes through here: session and permission check (401/403), zod parsing of
 * query and body (400 with a message), and one mapping from errors to JSON responses.
 */
export function apiRoute<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, P = Record<string, string>>(
  spec: RouteSpec<Q, B>,
  handler: (context: RouteContext<Q, B, P>) => Promise<unknown>,
) {
  return async (request: NextRequest, segment: { params: Promise<P> }): Promise<Response> => {
    const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
    try {
      const user = spec.access === "public" ? (null as unknown as CurrentUser) : await requireUser(spec.access === "signed-in" ? undefined : spec.access);
      if (request.method !== "GET" && request.method !== "HEAD" && spec.access !== "public") assertSameOrigin(request);

      let query: unknown;
      if (spec.query) {
        const parsed = spec.query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
        if (!parsed.success) throw new AppError("BAD_REQUEST", formatZodError(parsed.error), { details: parsed.error.issues });
        query = parsed.data;
      }
      let body: unknown;
      if (spec.body) {
        const raw = await request.json().catch(() => {
          throw new AppError("BAD_REQUEST", "The request body must be JSON.");
        });
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success) throw new AppError("BAD_REQUEST", formatZodError(parsed.error), { details: parsed.error.issues });
        body = parsed.data;
      }
      const result = await handler({ request, user, query: query as z.output<Q>, body: body as z.output<B>, params: await segment.params });
      const response = result instanceof Response ? result : NextResponse.json(result);
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      const response = errorResponse(error, requestId);
      response.headers.set("x-request-id", requestId);
      return response;
    }
  };
}
