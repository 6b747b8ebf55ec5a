import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { createPrismaClient } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import {
  buildReferenceBins,
  buildReferenceCategories,
  type FeatureDefinition,
} from "@/lib/domain/drift/bins";
import { createSecretCheck } from "@/lib/ingest/cloud-event";
import { handleIngestRequest } from "@/lib/ingest/handle-request";
import { IngestService } from "@/lib/ingest/ingest-service";
import { createIngestStore } from "@/lib/ingest/store";
import { buildInstance } from "@/sandbox/prometheus/payloads";
import { seededRandom, type Random } from "@/sandbox/prometheus/sampling";

/**
 * Payload-logger ingest under sustained load, measured from a separate process (autocannon here,
 * the server in a child process). Targets:
 * - process (default): the real ingest process, `scripts/ingest.ts` (what `npm run ingest` and the
 *   ingest image run), with its own database and a sandbox for the monitor lookup;
 * - harness: a bare node:http server in this file building a Web Request per POST for
 *   handleIngestRequest (the Next route's adapter), with a seeded monitor — Next's routing excluded;
 * - next: `next start` on the production build (.next), POSTing to the web app's fallback route.
 * INGEST_BENCH_TARGET=process,harness,next measures each in turn in one run and prints ratios to
 * the first, which is what to compare on a shared machine. Reports events/s, latency percentiles,
 * the server's CPU and RSS each second, rows checked against the database after the final flush,
 * and with INGEST_BENCH_PROFILE=1 where the server's CPU time goes.
 * Run: npx tsx bench/ingest.bench.ts  (INGEST_BENCH_SECONDS=20, INGEST_BENCH_CONNECTIONS=32,
 * INGEST_BENCH_BATCH=1 events per POST, INGEST_BENCH_TARGET=process|harness|next[,...],
 * INGEST_BENCH_PROCESSES=1 (INGEST_PROCESSES of the process target), INGEST_BENCH_PROFILE=0|1)
 */

const SECRET = "bench-ingest-secret-0123456789";
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, "..");
const serverUrl = (
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres"
).replace(/\/[^/]*$/, "");

/** The sandbox's churn-classifier inputs, as its payload logger posts them. */
const churnInstance = (random: Random) => buildInstance("churn-classifier", {}, random);

function referenceFeatures(): FeatureDefinition[] {
  const random = seededRandom(1);
  const rows = Array.from({ length: 5000 }, () => churnInstance(random));
  return Object.keys(rows[0]).map((name) => {
    const values = rows.map((row) => row[name as keyof typeof row]);
    if (typeof values[0] === "number") {
      const bins = buildReferenceBins(values as number[]);
      return { name, kind: "numeric", edges: bins.edges, reference: bins.counts, referenceStd: bins.std };
    }
    const categories = buildReferenceCategories(values);
    return { name, kind: "categorical", categories: categories.categories, reference: categories.counts };
  });
}

// ---- server process (harness target) ----

async function serve() {
  const db = createPrismaClient(process.env.DATABASE_URL!);
  const monitor = await db.driftMonitor.findFirstOrThrow({
    select: { id: true, features: true, windowMinutes: true },
  });
  const service = new IngestService({
    store: createIngestStore(db),
    resolveMonitor: async () => ({
      monitor: {
        id: monitor.id,
        features: monitor.features as unknown as FeatureDefinition[],
        windowMinutes: monitor.windowMinutes,
      },
    }),
    onError: (error, context) => console.error(context, error),
  });
  service.start();
  const context = { service, isAuthorized: createSecretCheck(SECRET) };
  const server = createServer((incoming, outgoing) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers))
      if (typeof value === "string") headers.set(name, value);
    const request = new Request(`http://localhost${incoming.url}`, {
      method: incoming.method,
      headers,
      body: Readable.toWeb(incoming) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    handleIngestRequest(request, context)
      .then(async (response) => {
        outgoing.writeHead(response.status, {
          "content-type": response.headers.get("content-type") ?? "application/json",
        });
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        console.error(error);
        outgoing.writeHead(500).end();
      });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), "127.0.0.1", () => process.send?.({ type: "listening" }));
  process.on("message", async (message: { type: string }) => {
    if (message.type !== "stop") return;
    await service.stop();
    server.close();
    await db.$disconnect();
    process.send?.({ type: "stopped" }, () => process.exit(0));
  });
}

// ---- load process ----

/** The process tree's RSS and CPU seconds (user + system) from /proc. */
function processTreeUsage(rootPid: number): { rss: number; cpuSeconds: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let rss = 0;
  let ticks = 0;
  for (const pid of parents.keys()) {
    let ancestor: number | undefined = pid;
    while (ancestor && ancestor !== rootPid) ancestor = parents.get(ancestor);
    if (ancestor !== rootPid) continue;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) rss += Number(match[1]) * 1024;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  // USER_HZ is 100 on Linux.
  return { rss, cpuSeconds: ticks / 100 };
}

function summariseProfile(directory: string): string[] {
  const files = readdirSync(directory).filter((file) => file.endsWith(".cpuprofile"));
  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(directory, file), "utf8")) as {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, index) => {
      const frame = byId.get(id)!;
      const micros = profile.timeDeltas[index] ?? 0;
      total += micros;
      const where = frame.url.replace(/^file:\/\//, "").replace(repo + "/", "");
      const name =
        `${frame.functionName || "(anonymous)"} ${where ? `${where.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}` : ""}`.trim();
      selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + micros);
      const area = !where
        ? frame.functionName.startsWith("(")
          ? frame.functionName
          : "V8 builtins (JSON.parse, GC, regexp, ...)"
        : where.startsWith("lib/domain/drift")
          ? "aggregation (lib/domain/drift)"
          : where.startsWith("lib/ingest")
            ? "ingest code (lib/ingest)"
            : where.includes("node_modules/next")
              ? "Next.js server"
              : where.includes("undici") || where.includes("internal/deps")
                ? "fetch/Web Request (undici)"
                : where.startsWith("node:")
                  ? `Node core (${where.split("/")[0].replace("node:", "")})`
                  : where.includes("node_modules")
                    ? `dependencies (${where.split("node_modules/").pop()!.split("/")[0]})`
                    : where;
      selfByArea.set(area, (selfByArea.get(area) ?? 0) + micros);
    });
  }
  const share = (micros: number) => `${((100 * micros) / total).toFixed(1)} %`;
  return [
    `CPU profile of the server (${files.length} file(s), ${(total / 1e6).toFixed(1)} s sampled), self time by area:`,
    ...[...selfByArea]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([area, micros]) => `  ${share(micros).padStart(7)}  ${area}`),
    "top functions:",
    ...[...selfByFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, micros]) => `  ${share(micros).padStart(7)}  ${name}`),
  ];
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

const targets = ["process", "harness", "next"] as const;
type Target = (typeof targets)[number];

interface Measurement {
  target: Target;
  eventsPerSecond: number;
  eventsPerCpuSecond: number;
  p50: number;
  p99: number;
  maxRss: number;
}

async function load() {
  const chosen = (process.env.INGEST_BENCH_TARGET ?? "process").split(",").map((name) => name.trim());
  const unknown = chosen.filter((name) => !targets.includes(name as Target));
  if (unknown.length)
    throw new Error(
      `INGEST_BENCH_TARGET: unknown target(s) ${unknown.join(", ")}; use ${targets.join(", ")}`,
    );
  const results: Measurement[] = [];
  for (const target of chosen as Target[]) results.push(await measure(target));
  if (results.length > 1) {
    const [first] = results;
    console.log(`\nratios to ${first.target} (same run, same load):`);
    for (const result of results) {
      console.log(
        `  ${result.target.padEnd(8)} ${Math.round(result.eventsPerSecond).toLocaleString("en").padStart(7)} events/s (×${(result.eventsPerSecond / first.eventsPerSecond).toFixed(2)}), ` +
          `${Math.round(result.eventsPerCpuSecond).toLocaleString("en").padStart(7)} events/CPU-s (×${(result.eventsPerCpuSecond / first.eventsPerCpuSecond).toFixed(2)}), p50 ${result.p50} ms, p99 ${result.p99} ms, max RSS ${Math.round(result.maxRss / 1048576)} MB`,
      );
    }
  }
}

async function measure(target: Target): Promise<Measurement> {
  const seconds = Number(process.env.INGEST_BENCH_SECONDS ?? 20);
  const connections = Number(process.env.INGEST_BENCH_CONNECTIONS ?? 32);
  const batchSize = Number(process.env.INGEST_BENCH_BATCH ?? 1);
  const processes = Number(process.env.INGEST_BENCH_PROCESSES ?? 1);
  const profileDirectory =
    process.env.INGEST_BENCH_PROFILE === "1"
      ? mkdtempSync(path.join(tmpdir(), "ingest-profile-"))
      : undefined;
  const databaseName = `ingest_bench_${randomBytes(4).toString("hex")}`;
  const databaseUrl = `${serverUrl}/${databaseName}`;
  await applyMigrations({
    databaseUrl,
    migrationsDir: path.join(repo, "prisma/migrations"),
    createDatabase: true,
  });
  const db = createPrismaClient(databaseUrl);
  const port = 3900 + Math.floor(Math.random() * 90);
  const cleanups: Array<() => Promise<void>> = [];
  let server: ChildProcess;
  let stopServer: () => Promise<void>;
  const stopChild = (child: ChildProcess, group: boolean) => async () => {
    if (child.exitCode !== null) return;
    // The CPU profile is written at exit, so wait for the exit itself.
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(group ? -child.pid! : child.pid!, "SIGTERM");
    await exited;
  };
  try {
    if (target === "process") {
      const { startSandbox } = await import("@/sandbox/testing");
      const sandbox = await startSandbox({ speed: 1 });
      cleanups.push(() => sandbox.close());
      const profileFlags = profileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`] : [];
      server = spawn(
        process.execPath,
        [...profileFlags, "--import", "tsx", path.join(repo, "scripts/ingest.ts")],
        {
          cwd: repo,
          env: {
            ...process.env,
            NODE_ENV: "production",
            SWITCHBOARD_SERVICE: "ingest",
            DATABASE_URL: databaseUrl,
            SANDBOX_URL: sandbox.url,
            SANDBOX_TOKEN: sandbox.token,
            INGEST_SHARED_SECRET: SECRET,
            INGEST_PORT: String(port),
            INGEST_PROCESSES: String(processes),
            REDIS_PREFIX: `ingest-bench-${randomBytes(3).toString("hex")}`,
            LOG_LEVEL: "warn",
          },
          stdio: ["ignore", "inherit", "inherit"],
        },
      );
      stopServer = stopChild(server, false);
      cleanups.unshift(() => stopServer());
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    } else if (target === "harness") {
      await db.driftMonitor.create({
        data: {
          namespace: "models",
          serviceName: "churn-classifier",
          modelName: "churn-classifier",
          modelVersion: "2",
          features: referenceFeatures() as object[],
        },
      });
      server = fork(fileURLToPath(import.meta.url), ["serve"], {
        env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "warn" },
        execArgv: [
          "--import",
          "tsx",
          ...(profileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`] : []),
        ],
      });
      await new Promise<void>((resolve) =>
        server.on("message", (message: { type: string }) => message.type === "listening" && resolve()),
      );
      stopServer = () =>
        new Promise<void>((resolve) => {
          server.once("exit", () => resolve());
          server.send({ type: "stop" });
        });
    } else {
      const { startSandbox } = await import("@/sandbox/testing");
      const sandbox = await startSandbox({ speed: 1 });
      cleanups.push(() => sandbox.close());
      const profileFlags = profileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`] : [];
      server = spawn(
        process.execPath,
        [
          ...profileFlags,
          path.join(repo, "node_modules/next/dist/bin/next"),
          "start",
          "-p",
          String(port),
          "-H",
          "127.0.0.1",
        ],
        {
          cwd: repo,
          env: {
            ...process.env,
            NODE_ENV: "production",
            DATABASE_URL: databaseUrl,
            SANDBOX_URL: sandbox.url,
            SANDBOX_TOKEN: sandbox.token,
            INGEST_SHARED_SECRET: SECRET,
            REDIS_PREFIX: `ingest-bench-${randomBytes(3).toString("hex")}`,
            APP_URL: `http://127.0.0.1:${port}`,
            LOG_LEVEL: "warn",
          },
          stdio: ["ignore", "inherit", "inherit"],
          detached: true,
        },
      );
      stopServer = stopChild(server, true);
      cleanups.unshift(() => stopServer());
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, 90_000);
    }

    const url = `http://127.0.0.1:${port}/api/ingest/kserve`;
    const random = seededRandom(42);
    const time = new Date().toISOString();
    const requests = Array.from({ length: 64 }, () => {
      const instances = Array.from({ length: random() < 0.85 ? 1 : 2 + Math.floor(random() * 3) }, () =>
        churnInstance(random),
      );
      return {
        method: "POST" as const,
        path: "/api/ingest/kserve",
        headers: {
          authorization: `Bearer ${SECRET}`,
          "content-type": "application/json",
          "ce-specversion": "1.0",
          "ce-id": randomUUID(),
          "ce-type": "org.kubeflow.serving.inference.request",
          "ce-source": "http://localhost:9081/",
          "ce-time": time,
          "ce-inferenceservicename": "churn-classifier",
          "ce-namespace": "models",
          "ce-component": "predictor",
          "ce-endpoint": "default",
        },
        body: JSON.stringify({ instances }),
        rows: instances.length,
      };
    });
    // INGEST_BENCH_BATCH=N: N structured events per POST (application/cloudevents-batch+json), as a collector in front of the logger would send.
    if (batchSize > 1) {
      for (const request of requests) {
        const events = Array.from({ length: batchSize }, () => {
          const instances = Array.from({ length: random() < 0.85 ? 1 : 2 + Math.floor(random() * 3) }, () =>
            churnInstance(random),
          );
          return {
            specversion: "1.0",
            id: randomUUID(),
            type: "org.kubeflow.serving.inference.request",
            source: "http://localhost:9081/",
            time,
            inferenceservicename: "churn-classifier",
            namespace: "models",
            endpoint: "default",
            data: { instances },
            rows: instances.length,
          };
        });
        request.rows = events.reduce((sum, event) => sum + event.rows, 0);
        request.body = JSON.stringify(events.map(({ rows: _rows, ...event }) => event));
        request.headers["content-type"] = "application/cloudevents-batch+json";
      }
    }
    const rowsPerCycle = requests.reduce((sum, request) => sum + request.rows, 0);

    // Warm-up: the first events create (or find) the monitor; the JIT settles.
    await autocannon({ url, connections: 4, duration: 3, requests });
    // The process and next targets build the monitor from the sandbox's training table first (seconds on a busy machine).
    for (let waited = 0; (await db.driftMonitor.count()) === 0; waited += 1000) {
      if (waited > 180_000) throw new Error("the monitor was not created within 3 minutes");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await autocannon({ url, connections: 4, duration: 2, requests });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const warm = await db.featureWindow.aggregate({
      where: { feature: "tenure_months" },
      _sum: { total: true },
    });
    const warmRows = warm._sum.total ?? 0;

    const rss: number[] = [];
    const cpuBefore = processTreeUsage(server.pid!).cpuSeconds;
    const loadBefore = loadavg()[0];
    const sampler = setInterval(() => rss.push(processTreeUsage(server.pid!).rss), 1000);
    const result = await autocannon({ url, connections, duration: seconds, requests });
    clearInterval(sampler);
    const serverCpuSeconds = processTreeUsage(server.pid!).cpuSeconds - cpuBefore;
    const loadAfter = loadavg()[0];
    await stopServer();

    const stored = await db.featureWindow.aggregate({
      where: { feature: "tenure_months" },
      _sum: { total: true },
    });
    const counters = await db.ingestCounter.groupBy({ by: ["outcome"], _sum: { count: true } });
    const ok = result["2xx"] * batchSize;
    const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
    console.log(
      `\ntarget ${target}${target === "process" ? ` (INGEST_PROCESSES=${processes})` : ""}: ${connections} connections for ${seconds} s from a separate autocannon process, ${batchSize === 1 ? "one event per POST (KServe's binary mode)" : `${batchSize} events per POST (CloudEvents JSON batch)`}`,
    );
    console.log(
      `  ${Math.round(ok / seconds).toLocaleString("en")} events/s sustained (${result["2xx"].toLocaleString("en")} × 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts); ` +
        `latency p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    );
    console.log(
      `  server CPU ${serverCpuSeconds.toFixed(1)} s over ${seconds} s wall → ${Math.round(ok / serverCpuSeconds).toLocaleString("en")} events per server CPU-second; ` +
        `load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${cpus().length} cores`,
    );
    console.log(
      `  server RSS each second: ${rss.map(mb).join(", ")} (min ${mb(Math.min(...rss))}, max ${mb(Math.max(...rss))})`,
    );
    const rowsDuringRun = (stored._sum.total ?? 0) - warmRows;
    const expectedRows = Math.round((result["2xx"] / requests.length) * rowsPerCycle);
    console.log(
      `  rows in feature_windows after the final flush: ${rowsDuringRun.toLocaleString("en")} (≈ ${expectedRows.toLocaleString("en")} expected from 2xx × mean batch)`,
    );
    console.log(
      `  outcome counters: ${counters.map((row) => `${row.outcome} ${row._sum.count}`).join(", ")}`,
    );
    if (profileDirectory) for (const line of summariseProfile(profileDirectory)) console.log(line);
    return {
      target,
      eventsPerSecond: ok / seconds,
      eventsPerCpuSecond: ok / serverCpuSeconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      maxRss: Math.max(...rss),
    };
  } finally {
    await db.$disconnect();
    for (const cleanup of cleanups) await cleanup();
    const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }
}

if (process.argv[2] === "serve") await serve();
else await load();
