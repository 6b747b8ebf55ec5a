import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { HeaderReader } from "./cloud-event";
import { errorBody, handleIngest, type IngestRequestContext } from "./handle-request";

/**
 * The ingest process's HTTP server: POST /api/ingest/kserve with the Next route's contract
 * (handleIngest is shared), served from plain node:http, because Next's app-route pipeline costs
 * ~2 ms of CPU per request and the payload logger sends one request per inference. Headers are
 * read from the parser's object and the body as a Buffer with a cap; no Web Request is built.
 * GET /healthz is liveness (checks nothing); GET /readyz answers 503 while the database does not
 * answer or the server is stopping, so a load balancer drains it before it exits.
 */

export const INGEST_PATH = "/api/ingest/kserve";

export interface IngestServerOptions {
  context: IngestRequestContext;
  /** Rejects when the database does not answer. */
  checkDatabase: () => Promise<void>;
  log: Logger;
}

export interface IngestServer {
  server: Server;
  /** Resolves with the bound port (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), then flushes the buffer. */
  close(graceMs?: number): Promise<void>;
}

const JSON_TYPE = "application/json";
const READY_TIMEOUT_MS = 2_000;

export function createIngestServer(options: IngestServerOptions): IngestServer {
  const { context, log } = options;
  let closing: Promise<void> | undefined;

  function send(outgoing: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) {
    // While stopping, keep-alive clients are told to reconnect, which lands them on another replica.
    if (closing) outgoing.shouldKeepAlive = false;
    outgoing.writeHead(status, {
      "content-type": JSON_TYPE,
      "content-length": Buffer.byteLength(body),
      ...extra,
    });
    outgoing.end(body);
  }

  async function ingest(incoming: IncomingMessage, outgoing: ServerResponse) {
    const headers: HeaderReader = {
      get: (name) => {
        const value = incoming.headers[name];
        return typeof value === "string" ? value : null;
      },
    };
    let bodyLeftUnread = false;
    const answer = await handleIngest(
      {
        headers,
        readBody: async (maxBytes) => {
          const body = await readBodyWithin(incoming, maxBytes);
          bodyLeftUnread = body === undefined;
          return body;
        },
      },
      context,
    );
    // An unread body would otherwise be drained off the socket to reuse it; closing is cheaper.
    if (answer.status >= 400 && (bodyLeftUnread || !incoming.complete)) outgoing.shouldKeepAlive = false;
    send(outgoing, answer.status, answer.body);
  }

  async function ready(outgoing: ServerResponse) {
    if (closing) return send(outgoing, 503, JSON.stringify({ status: "stopping" }));
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.checkDatabase(),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`timed out after ${READY_TIMEOUT_MS} ms`)),
              READY_TIMEOUT_MS,
            )),
        ),
      ]);
      const database = { ok: true, detail: "reachable", latencyMs: Math.round(performance.now() - started) };
      send(
        outgoing,
        200,
        JSON.stringify({ status: "ready", checks: { database }, ingest: context.service.stats() }),
      );
    } catch (error) {
      const database = {
        ok: false,
        detail: (error as Error).message,
        latencyMs: Math.round(performance.now() - started),
      };
      send(outgoing, 503, JSON.stringify({ status: "not-ready", checks: { database } }));
    } finally {
      clearTimeout(timer);
    }
  }

  async function route(incoming: IncomingMessage, outgoing: ServerResponse, path: string | undefined) {
    if (path === INGEST_PATH) {
      if (incoming.method === "POST") return ingest(incoming, outgoing);
      return send(outgoing, 405, errorBody("METHOD_NOT_ALLOWED", `${INGEST_PATH} accepts POST only.`), {
        allow: "POST",
      });
    }
    if (path === "/healthz" && incoming.method === "GET") return send(outgoing, 200, '{"status":"ok"}');
    if (path === "/readyz" && incoming.method === "GET") return ready(outgoing);
    send(outgoing, 404, errorBody("NOT_FOUND", `No route for ${incoming.method} ${path}.`));
  }

  const server = createServer((incoming, outgoing) => {
    const path = incoming.url?.split("?", 1)[0];
    route(incoming, outgoing, path).catch((error: unknown) => {
      // A client that hung up mid-body is not a server error; its socket is already gone.
      if (outgoing.headersSent || incoming.destroyed) return;
      log.error({ err: error, path }, "ingest request failed");
      send(
        outgoing,
        500,
        errorBody(
          "INTERNAL",
          "Something went wrong on our side. Try again; if it persists, tell the platform team.",
        ),
      );
    });
  });
  // Longer than a load balancer's idle timeout, so it never reuses a connection this side just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive connections become idle as their last request is answered: close them as they do.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const forced = setTimeout(() => server.closeAllConnections(), graceMs);
        server.closeIdleConnections();
        await closed;
        clearInterval(idle);
        clearTimeout(forced);
        await context.service.stop();
      })();
      return closing;
    },
  };
}

/** The body as UTF-8 text, or undefined once it passes `maxBytes`, checked as it arrives (chunked bodies declare no length). */
function readBodyWithin(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        incoming.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString("utf8"));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
  });
}
