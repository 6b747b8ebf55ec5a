import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { parseConfig, sessionLimits } from "@/lib/config";
import { startSession } from "@/lib/db/sessions";
import { testStackSecrets } from "@/lib/testing/secrets";
import { idempotencyTokenFor } from "@/lib/domain/training/launch";
import { killOnExit, startTestStack, waitFor } from "@/lib/testing/worker-stack";

/**
 * GET /api/runs under load: the production build (`npx next build` first) served by `next start`
 * over a database seeded with BENCH_RUNS runs (10,000), hit by autocannon with 50 concurrent
 * clients signed in as a data scientist (a next-auth session cookie minted with the app's secret).
 * Target: p95 < 50 ms, zero errors.
 *   npx tsx bench/runs-list.bench.ts
 * BENCH_RUNS, BENCH_CONNECTIONS (50), BENCH_SECONDS (20), BENCH_QUERY (limit=25).
 */

const runCount = Number(process.env.BENCH_RUNS ?? 10_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const query = process.env.BENCH_QUERY ?? "limit=25";
// BENCH_PROFILE=<dir>: the server writes a V8 CPU profile there on exit (open it in Chrome DevTools).
const profileFlags = process.env.BENCH_PROFILE
  ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
  : [];

if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build in .next: run `npx next build` first.");
  process.exit(2);
}

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const stack = await startTestStack();
let server: ReturnType<typeof spawn> | undefined;
try {
  console.log(`Seeding ${runCount} runs…`);
  const people = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      stack.db.user.create({
        data: { entraObjectId: randomUUID(), name: `Scientist ${i}`, roles: ["DataScientist"] },
        select: { id: true },
      }),
    ),
  );
  const statuses = [
    "SUCCEEDED",
    "FAILED",
    "RUNNING",
    "PENDING",
    "CANCELLED",
    "SUCCEEDED",
    "SUCCEEDED",
  ] as const;
  for (let offset = 0; offset < runCount; offset += 2_000) {
    await stack.db.trainingRun.createMany({
      data: Array.from({ length: Math.min(2_000, runCount - offset) }, (_, k) => {
        const index = offset + k;
        const id = randomUUID();
        return {
          id,
          runName: `run-${index}`,
          kind: "TABULAR" as const,
          experimentName: `/Shared/experiment-${index % 12}`,
          datasetFullName: "ml.training.churn_training_set",
          modelFamily: "logistic_regression",
          params: { learningRate: 0.1, epochs: 20 },
          clusterSpec: {
            nodeTypeId: "Standard_DS3_v2",
            runtime: "15.4.x-cpu-ml-scala2.12",
            workers: { mode: "fixed", count: 2 },
          },
          timeoutSeconds: 3600,
          idempotencyToken: idempotencyTokenFor(id),
          status: statuses[index % statuses.length],
          epochsDone: index % 21,
          epochsTotal: 20,
          createdAt: new Date(Date.now() - index * 60_000),
          launchedById: people[index % people.length].id,
        };
      }),
    });
  }
  await stack.db.$executeRawUnsafe("ANALYZE training_runs");

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...stack.env,
    ...testStackSecrets,
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: `http://localhost:${port}`,
    NEXTAUTH_URL: `http://localhost:${port}`,
    LOG_LEVEL: "warn",
  };
  // The standalone server is what the web image runs (no next.config.js loading at start, no dev tooling).
  const standalone = existsSync(".next/standalone/server.js") && process.env.BENCH_SERVER !== "next-start";
  const serverArgs = standalone
    ? [".next/standalone/server.js"]
    : ["node_modules/next/dist/bin/next", "start", "-p", String(port)];
  console.log(`Server: ${standalone ? "node .next/standalone/server.js (as the web image)" : "next start"}`);
  server = killOnExit(
    spawn(process.execPath, [...profileFlags, ...serverArgs], {
      env: { ...env, HOSTNAME: "127.0.0.1" },
      stdio: "ignore",
    }),
  );
  await waitFor(
    "next start",
    async () => (await fetch(`http://localhost:${port}/api/health`).catch(() => null))?.ok,
    120_000,
    500,
  );

  // A live server-side session, as sign-in makes: every request checks it (lib/auth/session.ts).
  const sid = await startSession(stack.db, people[0].id, sessionLimits(parseConfig({})));
  const token = await encode({
    secret: testStackSecrets.NEXTAUTH_SECRET,
    token: {
      sub: people[0].id,
      userId: people[0].id,
      sid,
      oid: "bench-oid",
      name: "Scientist 0",
      email: null,
      roles: ["DataScientist"],
    },
  });
  const headers = { cookie: `next-auth.session-token=${token}` };
  const url = `http://localhost:${port}/api/runs?${query}`;
  const check = await fetch(url, { headers });
  if (!check.ok) throw new Error(`GET /api/runs answered ${check.status}: ${await check.text()}`);
  const { runs } = (await check.json()) as { runs: unknown[] };
  console.log(`GET /api/runs?${query} returns ${runs.length} runs; warming up…`);
  await autocannon({ url, connections: 10, duration: 3, headers });

  // The same load on /api/health first: Next.js's own cost per request on this machine, the floor
  // any route handler stands on, so the runs list can be read as a ratio to it.
  const floor = await measure(`http://localhost:${port}/api/health`, {});
  report("GET /api/health (Next's floor: no session, no database)", floor);
  const list = await measure(url, headers);
  report(`GET /api/runs?${query} (${runCount} runs)`, list);
  console.log(
    `  ratios to the floor: CPU per request ${(list.cpuMsPerRequest / floor.cpuMsPerRequest).toFixed(2)}×, p95 ${(list.p95 / floor.p95).toFixed(2)}×, requests/s ${(list.perSecond / floor.perSecond).toFixed(2)}`,
  );
  console.log(`  machine load average (1 min): ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited; // lets a profiling server write its profile
  }
  await stack.close();
}
process.exit(0);

interface Measured {
  cpuMsPerRequest: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: string;
}

/** CPU time (user + system) the server process has used so far, in ms: load-independent cost. */
function serverCpuMs(): number {
  const fields = readFileSync(`/proc/${server!.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function measure(target: string, requestHeaders: Record<string, string>): Promise<Measured> {
  const latencies: number[] = [];
  const cpuBefore = serverCpuMs();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target, connections, duration: seconds, headers: requestHeaders },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    cpuMsPerRequest: (serverCpuMs() - cpuBefore) / result.requests.total,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: percentile(50),
    p95: percentile(95),
    p99: percentile(99),
    errors: `${errors} (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
  };
}

function report(label: string, m: Measured) {
  console.log(`${label}: ${connections} connections for ${seconds} s`);
  console.log(`  requests       ${m.requests} (${Math.round(m.perSecond)}/s)`);
  console.log(`  latency p50    ${m.p50.toFixed(1)} ms`);
  console.log(`  latency p95    ${m.p95.toFixed(1)} ms  (target < 50 ms)`);
  console.log(`  latency p99    ${m.p99.toFixed(1)} ms`);
  console.log(`  errors         ${m.errors}`);
  console.log(
    `  server CPU     ${m.cpuMsPerRequest.toFixed(2)} ms per request (load-independent: one core serves ~${Math.round(1000 / m.cpuMsPerRequest)}/s)`,
  );
}
