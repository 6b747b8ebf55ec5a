import pino from "pino";

/** Structured JSON logs for web and workers; every line a process writes goes through this. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.SWITCHBOARD_SERVICE ?? "web" },
  redact: { paths: ["*.authorization", "*.token", "*.clientSecret", "*.password", "headers.cookie"], censor: "[redacted]" },
});
