import Fastify, { type FastifyInstance } from "fastify";
import formbody from "@fastify/formbody";
import type { Socket } from "node:net";
import pg from "pg";
import type { SandboxContext } from "./lib/context";
import { ApiError } from "./lib/errors";
import { dialectOf, sendDialectError } from "./lib/dialect";
import { defaultErrorCode, FaultInjector, faultRules } from "./lib/faults";
import { sandboxSystems } from "./systems";

export interface SandboxOptions {
  databaseUrl: string;
  baseUrl: string;
  token: string;
  speed?: number;
  ingestUrl?: string;
  ingestSecret?: string;
  appUrls?: string[];
  faults?: string;
  logLevel?: string;
}

/** Paths that carry their own authentication (the identity provider) or none (health, and /metrics like a pod's metrics port). */
const isPublic = (path: string) =>
  path.startsWith("/oidc") || path === "/__sandbox/health" || path === "/metrics";

/**
 * The local cloud: one HTTP server with the real services' paths under one base URL.
 * Like the real services it refuses requests without the bearer token, and can inject faults.
 */
export async function buildSandbox(
  options: SandboxOptions,
): Promise<{ app: FastifyInstance; context: SandboxContext }> {
  const app = Fastify({
    logger: { level: options.logLevel ?? "info" },
    disableRequestLogging: true,
    bodyLimit: 8 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  await app.register(formbody);
  // Clients send JSON bodies on GET and DELETE too, and sometimes an empty body with a JSON type.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    [
      "application/json",
      "application/merge-patch+json",
      "application/json-patch+json",
      "application/strategic-merge-patch+json",
    ],
    { parseAs: "string" },
    (_req, body, done) => {
      if (body === "") return done(null, {});
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new ApiError("MALFORMED_REQUEST", "Request body is not valid JSON"), undefined);
      }
    },
  );

  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
  // An idle client whose connection dies (a test dropping its database, a restart) must not crash the process.
  pool.on("error", (error) => app.log.warn({ err: error }, "idle sandbox database connection failed"));
  const context: SandboxContext = {
    pool,
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    token: options.token,
    speed: options.speed ?? 1,
    ingestUrl: options.ingestUrl,
    ingestSecret: options.ingestSecret,
    appUrls: options.appUrls,
    log: app.log,
  };

  const faults = new FaultInjector();
  if (options.faults) faults.set(faultRules.parse(JSON.parse(options.faults)).rules);

  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0];
    const dialect = dialectOf(path);
    if (!isPublic(path) && request.headers.authorization !== `Bearer ${context.token}`) {
      const message = request.headers.authorization
        ? "Invalid access token."
        : "Credential was not sent or was of an unsupported type for this API.";
      return sendDialectError(reply, dialect, 401, "UNAUTHENTICATED", message);
    }
    if (path.startsWith("/__sandbox")) return;
    const fault = faults.match(request.method, path);
    if (!fault) return;
    if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.hang) return new Promise<void>(() => {}); // never answers: the client's timeout must fire
    if (fault.status) {
      if (fault.retryAfterSeconds !== undefined) reply.header("Retry-After", String(fault.retryAfterSeconds));
      const code = fault.errorCode ?? defaultErrorCode(fault.status);
      return sendDialectError(reply, dialect, fault.status, code, `Injected fault: ${code}`);
    }
  });

  app.setErrorHandler((error: Error, request, reply) => {
    const path = request.url.split("?")[0];
    if (error instanceof ApiError)
      return sendDialectError(reply, dialectOf(path), error.status, error.errorCode, error.message);
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500)
      return sendDialectError(
        reply,
        dialectOf(path),
        status,
        status === 413 ? "RESOURCE_EXHAUSTED" : "INVALID_PARAMETER_VALUE",
        error.message,
      );
    request.log.error({ err: error }, "sandbox handler failed");
    return sendDialectError(reply, dialectOf(path), 500, "INTERNAL_ERROR", "Internal error in the sandbox");
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0];
    const dialect = dialectOf(path);
    // Open-source MLflow answers an unknown route with a bare 404; Databricks with ENDPOINT_NOT_FOUND.
    if (path.startsWith("/api/2.0/mlflow") || path.startsWith("/ajax-api/"))
      return reply
        .code(404)
        .type("text/html")
        .send("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>");
    return sendDialectError(
      reply,
      dialect,
      404,
      "ENDPOINT_NOT_FOUND",
      `No API found for '${request.method} ${path}'`,
    );
  });

  app.get("/__sandbox/health", async () => ({ status: "ok" }));
  app.get("/__sandbox/faults", async () => ({ rules: faults.list() }));
  app.post("/__sandbox/faults", async (request) => {
    const parsed = faultRules.safeParse(request.body);
    if (!parsed.success)
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
      );
    faults.add(parsed.data.rules);
    return { rules: faults.list() };
  });
  app.delete("/__sandbox/faults", async () => {
    faults.set([]);
    return { rules: [] };
  });

  // server.close() closes the keep-alive connections idle at that moment, then waits for the rest. Two
  // kinds would hold it for a minute: one whose response finishes after close began (open until
  // Fastify's 72 s keepAliveTimeout), and one a client opened but never used, its request aborted
  // (Node counts it as active until its 60 s headersTimeout). Until the server has closed, close
  // each as soon as it is idle, and those that never sent a byte at once: nothing there awaits an answer.
  const connections = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  let closingIdle: NodeJS.Timeout | undefined;
  app.addHook("preClose", async () => {
    closingIdle = setInterval(() => {
      app.server.closeIdleConnections();
      for (const socket of connections) if (socket.bytesRead === 0) socket.destroy();
    }, 50);
  });
  // Fastify runs onClose hooks last-registered first: added before the systems register theirs, this
  // one ends the pool after every system's own hook (timers, ticks in flight) has run.
  app.addHook("onClose", async () => {
    clearInterval(closingIdle);
    for (const system of sandboxSystems) await system.close?.();
    await pool.end();
  });
  for (const system of sandboxSystems) await system.register(app, context);
  return { app, context };
}
