// Runs once when a Next.js server starts: refuse to serve with a bad configuration, then start
// tracing when it is configured (Next.js emits its route and render spans to the registered provider).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("./lib/config");
  const config = getConfig();
  const { startWebTracing } = await import("./lib/telemetry");
  await startWebTracing(config);
}
