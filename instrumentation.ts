// Runs once when a Next.js server starts: refuse to serve with a bad configuration.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("./lib/config");
  getConfig();
}
