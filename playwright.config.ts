import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/chromium";
import { e2eEnv, realMlflowEnv, realMlflowUrl } from "./e2e/env";

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against the production
// build, with its own databases, Redis prefix and ports so they never touch a developer's data.

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: e2eEnv.APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    { name: "sign-in", testMatch: /global\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      dependencies: ["sign-in"],
    },
  ],
  webServer: [
    {
      command: "npx tsx e2e/serve.ts",
      url: `${e2eEnv.APP_URL}/api/health`,
      env: e2eEnv,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    // Only with a real MLflow server (E2E_REAL_MLFLOW_URL): the stack e2e/real-mlflow.spec.ts drives.
    ...(realMlflowUrl
      ? [
          {
            command: "npx tsx e2e/serve.ts --real-mlflow",
            url: `${realMlflowEnv.APP_URL}/api/health`,
            env: realMlflowEnv,
            timeout: 300_000,
            reuseExistingServer: false,
            stdout: "pipe" as const,
            stderr: "pipe" as const,
          },
        ]
      : []),
  ],
});
