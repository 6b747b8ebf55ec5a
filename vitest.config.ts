import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Unit tests (*.test.ts) sit beside the code; integration tests (*.int.test.ts) talk to real
// PostgreSQL, Redis and the sandbox over HTTP, each with its own database and key prefix.
export default defineConfig({
  resolve: { alias: { "@": root.replace(/\/$/, "") } },
  test: {
    environment: "node",
    include: ["{lib,workers,sandbox,app,components,prisma,scripts,bench}/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "e2e/**"],
    testTimeout: 30_000,
    // Integration files each start a sandbox and open database pools: two at a time suits 2 cores
    // and PostgreSQL's default 100 connections.
    maxWorkers: 2,
    hookTimeout: 60_000,
    server: { deps: { inline: ["server-only"] } },
    alias: { "server-only": fileURLToPath(new URL("./lib/testing/server-only-stub.ts", import.meta.url)) },
  },
});
