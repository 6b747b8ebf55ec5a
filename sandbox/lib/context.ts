import type { FastifyBaseLogger } from "fastify";
import pg from "pg";

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

/** Creates the sandbox database if it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two sandboxes starting together may race to create it; the loser finds it there.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await admin.end();
  }
}
