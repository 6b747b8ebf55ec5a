import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { sessionSecret } from "@/lib/config";
import { idempotencyTokenFor } from "@/lib/domain/training/launch";
import { killOnExit, startTestStack, waitFor } from "@/workers/chaos-harness";

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
    Array.from({ length: 20 }, (_, i) => stack.db.user.create({ data: { entraObjectId: randomUUID(), name: `Scientist ${i}`, roles: ["DataScientist"] }, select: { id: true } })),
  );
  const statuses = ["SUCCEEDED", "FAILED", "RUNNING", "PENDING", "CANCELLED", "SUCCEEDED", "SUCCEEDED"] as const;
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
          clusterSpec: { nodeTypeId: "Standard_DS3_v2", runtime: "15.4.x-cpu-ml-scala2.12", workers: { mode: "fixed", count: 2 } },
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

  const env: NodeJS.ProcessEnv = { ...process.env, ...stack.env, NODE_ENV: "production", PORT: String(port), APP_URL: `http://localhost:${port}`, NEXTAUTH_URL: `http://localhost:${port}`, LOG_LEVEL: "warn" };
  server = killOnExit(spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], { env, stdio: "ignore" }));
  await waitFor("next start", async () => (await fetch(`http://localhost:${port}/api/health`).catch(() => null))?.ok, 120_000, 500);

  const token = await encode({
    secret: sessionSecret(stack.config),
    token: { sub: people[0].id, userId: people[0].id, oid: "bench-oid", name: "Scientist 0", email: null, roles: ["DataScientist"] },
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
  console.log(`  p95 ratio to the floor: ${(list.p95 / floor.p95).toFixed(2)}×; requests/s ratio ${(list.perSecond / floor.perSecond).toFixed(2)}`);
} finally {
  server?.kill("SIGTERM");
  await stack.close();
}
process.exit(0);

interface Measured {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: string;
}

async function measure(target: string, requestHeaders: Record<string, string>): Promise<Measured> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: target, connections, duration: seconds, headers: requestHeaders }, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
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
}
