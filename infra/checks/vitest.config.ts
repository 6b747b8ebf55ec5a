import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests of the infra checks and operator scripts, run by scripts/check-infra.sh (the root config
// covers application code only).
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "") } },
  test: {
    environment: "node",
    include: ["infra/**/*.test.ts"],
    root: fileURLToPath(new URL("../..", import.meta.url)),
    testTimeout: 60_000,
  },
});
