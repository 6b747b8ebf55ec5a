import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The infra checks' own tests, run by scripts/check-infra.sh (the root config covers app code only).
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "") } },
  test: { environment: "node", include: ["infra/checks/**/*.test.ts"], root: fileURLToPath(new URL("../..", import.meta.url)), testTimeout: 60_000 },
});
