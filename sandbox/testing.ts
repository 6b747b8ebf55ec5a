import { randomBytes } from "node:crypto";
import { dropTestDatabase, testServerUrl } from "@/lib/testing/database";
import { ensureDatabase } from "./lib/context";
import { buildSandbox, type SandboxOptions } from "./server";

export interface RunningSandbox {
  url: string;
  token: string;
  /** Sets fault rules (replacing none): see sandbox/lib/faults.ts. */
  injectFaults(rules: unknown[]): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a whole sandbox on a free port (or `port`) with a database of its own, for integration tests.
 * `close()` stops it and drops the database.
 */
export async function startSandbox({
  port = 0,
  ...options
}: Partial<SandboxOptions> & { port?: number } = {}): Promise<RunningSandbox> {
  const database = `sbx_test_${randomBytes(5).toString("hex")}`;
  const databaseUrl = `${testServerUrl}/${database}`;
  await ensureDatabase(databaseUrl);
  const token = "sandbox-test-token";
  const { app, context } = await buildSandbox({
    databaseUrl,
    baseUrl: "http://127.0.0.1:0",
    token,
    speed: 50,
    logLevel: "warn",
    ...options,
  });
  const address = await app.listen({ host: "127.0.0.1", port });
  context.baseUrl = address;
  const admin = (method: string, body?: unknown) =>
    fetch(`${address}/__sandbox/faults`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => {
      if (!r.ok) throw new Error(`fault admin ${r.status}: ${await r.text()}`);
    });
  return {
    url: address,
    token,
    injectFaults: (rules) => admin("POST", { rules }),
    clearFaults: () => admin("DELETE"),
    async close() {
      await app.close();
      await dropTestDatabase(database);
    },
  };
}
