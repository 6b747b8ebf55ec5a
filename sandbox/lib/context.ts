import type { FastifyBaseLogger } from "fastify";
import type pg from "pg";

/** What every emulated system gets: its own PostgreSQL (so the sandbox survives restarts) and settings. */
export interface SandboxContext {
  pool: pg.Pool;
  /** Public base URL of the sandbox, e.g. http://127.0.0.1:4010 (used in links such as run_page_url). */
  baseUrl: string;
  /** Development bearer token the sandbox accepts, like a Databricks PAT. */
  token: string;
  /** Simulated-time multiplier: 10 makes a 60 s training run take 6 s. */
  speed: number;
  /** Where emulated KServe payload loggers post CloudEvents (Switchboard's ingest endpoint). */
  ingestUrl?: string;
  /** Switchboard web apps allowed to sign in through the sandbox identity provider. */
  appUrls?: string[];
  ingestSecret?: string;
  log: FastifyBaseLogger;
}

/** Creates the sandbox database if it does not exist yet (the same helper the migrator uses). */
export { ensureDatabaseExists as ensureDatabase } from "@/lib/db/migrate";
