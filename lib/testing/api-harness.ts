import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import pg from "pg";
import type { Role } from "@/lib/auth/permissions";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { deleteRedisPrefix } from "@/lib/testing/redis";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";

/**
 * Route handlers called in process with real `Request`s, against a real PostgreSQL database and
 * the sandbox over HTTP: the session cookie is read through next/headers exactly as in the app
 * (the test mocks next/headers with `requestCookies` below), so authentication is real too.
 */

const requestJar = new AsyncLocalStorage<Map<string, string>>();

/** next/headers' `cookies()` for a route called through `callRoute`. */
export async function requestCookies() {
  const jar = requestJar.getStore() ?? new Map<string, string>();
  return {
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    has: (name: string) => jar.has(name),
  };
}

const root = fileURLToPath(new URL("../..", import.meta.url));
export const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof httpMethods)[number];
type Handler = ((
  request: NextRequest,
  context: { params: Promise<Record<string, unknown>> },
) => Promise<Response>) & { spec?: { query?: unknown; body?: unknown; params?: unknown } };

export interface ApiRouteFile {
  /** `/api/alerts/[id]/acknowledge` */
  pattern: string;
  /** Dynamic segment names in order; a catch-all is marked `...name`. */
  segments: string[];
  handlers: Partial<Record<HttpMethod, Handler>>;
  /** Methods the file implements itself (the rest answer 405 through lib/http/other-methods). */
  implemented: HttpMethod[];
}

/** Every app/api route file and what it exports: the fuzz suite covers what exists, not a list kept by hand. */
export async function loadApiRoutes(): Promise<ApiRouteFile[]> {
  const { methodNotAllowed } = await import("@/lib/http/api-route");
  const files = readdirSync(path.join(root, "app/api"), { recursive: true, encoding: "utf8" }).filter(
    (file) => path.basename(file) === "route.ts",
  );
  const routes: ApiRouteFile[] = [];
  for (const file of files.sort()) {
    const dir = path.dirname(file) === "." ? "" : `/${path.dirname(file).split(path.sep).join("/")}`;
    const pattern = `/api${dir}`;
    const exports = (await import(/* @vite-ignore */ path.join(root, "app/api", file))) as Record<
      string,
      Handler
    >;
    const handlers: ApiRouteFile["handlers"] = {};
    for (const method of httpMethods)
      if (typeof exports[method] === "function") handlers[method] = exports[method];
    const implemented = httpMethods.filter(
      (method) => handlers[method] && (handlers[method] as unknown) !== methodNotAllowed,
    );
    const segments = [...pattern.matchAll(/\[([^[\]]+)\]/g)].map((match) => match[1]);
    routes.push({ pattern, segments, handlers, implemented });
  }
  return routes;
}

export interface Person {
  login: string;
  roles: Role[];
  cookie: string;
}

export interface ApiCall {
  method: string;
  route: ApiRouteFile;
  params: Record<string, string | string[]>;
  /** Raw query string without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  person?: Person | null;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface ApiHarness {
  sandbox: RunningSandbox;
  database: TestDatabase;
  baseUrl: string;
  people: Record<string, Person>;
  call(call: ApiCall): Promise<ApiAnswer>;
  /** Committed row changes per table since the harness started (a trigger counts them). */
  changes(): Promise<Record<string, number>>;
  sql<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const baseUrl = "http://switchboard.test";

/** For the URL only (the handler gets the raw params): a lone surrogate cannot be percent-encoded. */
const encodeSegment = (segment: string | undefined) =>
  encodeURIComponent(((segment ?? "") as unknown as { toWellFormed(): string }).toWellFormed());

/** Counts every committed row change in every table, so a refused request can be shown to have written nothing. */
const changeCounterSql = `
  CREATE TABLE test_row_changes (table_name text PRIMARY KEY, n bigint NOT NULL);
  CREATE FUNCTION test_count_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      INSERT INTO test_row_changes VALUES (TG_TABLE_NAME, 1) ON CONFLICT (table_name) DO UPDATE SET n = test_row_changes.n + 1;
      RETURN NULL;
    END $$;
  DO $$ DECLARE t text; BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('test_row_changes', '_prisma_migrations', 'user_sessions') LOOP
      EXECUTE format('CREATE TRIGGER test_count_rows AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION test_count_change()', t);
      EXECUTE format('CREATE TRIGGER test_count_truncate AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION test_count_change()', t);
    END LOOP;
  END $$;`;

export async function startApiHarness(
  people: Array<{ login: string; oid: string; name: string; email: string | null; roles: Role[] }>,
): Promise<ApiHarness> {
  const sandbox = await startSandbox({ speed: 20 });
  const database = await createTestDatabase("api_harness");
  const redisPrefix = `api-harness-${randomBytes(4).toString("hex")}`;
  Object.assign(process.env, {
    DATABASE_URL: database.appUrl,
    SANDBOX_URL: sandbox.url,
    SANDBOX_TOKEN: sandbox.token,
    REDIS_PREFIX: redisPrefix,
    APP_URL: baseUrl,
    LOG_LEVEL: "silent",
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query(changeCounterSql);

  const [
    { getConfig, sessionLimits, sessionSecret },
    { getDb },
    { upsertSignedInUser },
    { startSession },
    { createRedis },
    { beat },
  ] = await Promise.all([
    import("@/lib/config"),
    import("@/lib/db/client"),
    import("@/lib/db/users"),
    import("@/lib/db/sessions"),
    import("@/lib/queue/connection"),
    import("@/lib/queue/heartbeat"),
  ]);
  const config = getConfig();
  // /api/ready wants a live worker; this beat stays fresh for the whole run.
  const redis = createRedis(config.REDIS_URL, "producer", { lazyConnect: true });
  await redis.connect();
  await beat(redis, redisPrefix, "api-harness", Date.now() + 3_600_000);

  const signedIn: Record<string, Person> = {};
  for (const person of people) {
    const { id } = await upsertSignedInUser(getDb(), person);
    const sid = await startSession(getDb(), id, sessionLimits(config));
    const token = await encode({
      token: {
        userId: id,
        sid,
        oid: person.oid,
        name: person.name,
        email: person.email,
        roles: person.roles,
      },
      secret: sessionSecret(config),
      maxAge: 3600,
    });
    signedIn[person.login] = {
      login: person.login,
      roles: person.roles,
      cookie: `next-auth.session-token=${token}`,
    };
  }

  async function call({
    method,
    route,
    params,
    query,
    headers = {},
    body,
    person,
  }: ApiCall): Promise<ApiAnswer> {
    // As Next does: HEAD runs GET without the body.
    const handler =
      route.handlers[method as HttpMethod] ?? (method === "HEAD" ? route.handlers.GET : undefined);
    const pathname = route.pattern.replace(/\[(?:\.\.\.)?([^.[\]][^[\]]*)\]/g, (_match, name: string) =>
      [params[name]].flat().map(encodeSegment).join("/"),
    );
    const requestHeaders = new Headers({ host: new URL(baseUrl).host, ...headers });
    if (person) requestHeaders.set("cookie", person.cookie);
    const request = new NextRequest(`${baseUrl}${pathname}${query ? `?${query}` : ""}`, {
      method,
      headers: requestHeaders,
      body: method === "GET" || method === "HEAD" ? undefined : body,
    });
    const jar = new Map<string, string>();
    for (const pair of (requestHeaders.get("cookie") ?? "").split(";")) {
      const at = pair.indexOf("=");
      if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const response = handler
      ? await requestJar.run(jar, () => handler(request, { params: Promise.resolve(params) }))
      : new Response(null, { status: 405 }); // what Next itself answers for a method no file exports
    const text = method === "HEAD" ? "" : await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  return {
    sandbox,
    database,
    baseUrl,
    people: signedIn,
    call,
    async changes() {
      const { rows } = await pool.query<{ table_name: string; n: string }>(
        "SELECT table_name, n FROM test_row_changes",
      );
      return Object.fromEntries(rows.map((row) => [row.table_name, Number(row.n)]));
    },
    sql: async (text, values) => (await pool.query(text, values)).rows,
    async close() {
      await deleteRedisPrefix(redis, redisPrefix);
      redis.disconnect();
      await pool.end();
      await getDb().$disconnect();
      await sandbox.close();
      await database.drop();
    },
  };
}
