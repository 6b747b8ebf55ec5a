// @ts-check
import { tsImport } from "tsx/esm/api";

// Fail `next dev` and `next build` with a message naming any bad variable (instrumentation.ts does
// the same when a built server starts).
const { parseConfig } = await tsImport("./lib/config/index.ts", import.meta.url);
// `next build` (NODE_ENV=production) needs no secrets; Next sets NEXT_PHASE only after loading this file.
parseConfig({
  ...process.env,
  NEXT_PHASE: process.argv.includes("build") ? "phase-production-build" : process.env.NEXT_PHASE,
});

const isProduction = process.env.NODE_ENV === "production";

/** Headers for every response; the per-request CSP with a script nonce is set in proxy.ts. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(isProduction
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // The whole project is type-checked once, as its own step (npm run typecheck).
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Worker-only and sandbox-only packages never belong in the web bundle; the OpenTelemetry SDK
  // patches modules at run time and must share one @opentelemetry/api with Next.js's own spans.
  serverExternalPackages: [
    "bullmq",
    "ioredis",
    "pg",
    "pino",
    "@azure/msal-node",
    "oidc-provider",
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/exporter-trace-otlp-proto",
    "@opentelemetry/instrumentation",
    "@opentelemetry/instrumentation-undici",
    "@opentelemetry/resources",
    "bullmq-otel",
  ],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // JSON and downloads never run script or load anything; pages get a nonce CSP in proxy.ts.
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
