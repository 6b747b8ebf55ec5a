/** The e2e stack's settings: its own ports, databases and Redis prefix. */
export const e2eEnv = {
  NODE_ENV: "production",
  SWITCHBOARD_MODE: "sandbox",
  PORT: "3100",
  APP_URL: "http://localhost:3100",
  NEXTAUTH_URL: "http://localhost:3100",
  SANDBOX_URL: "http://127.0.0.1:4110",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/switchboard_e2e",
  SANDBOX_DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/switchboard_e2e_sandbox",
  REDIS_URL: "redis://127.0.0.1:6379/0",
  REDIS_PREFIX: "switchboard-e2e",
  SANDBOX_SPEED: "20",
  LOG_LEVEL: "warn",
  NEXT_TELEMETRY_DISABLED: "1",
} as const satisfies Record<string, string>;

export type DemoLogin = "dana" | "sam" | "riley" | "morgan" | "alex" | "omar" | "ada";
export const storageStatePath = (login: DemoLogin) => `e2e/.auth/${login}.json`;
