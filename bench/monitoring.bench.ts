import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createKServeClient, type KServeClient } from "@/lib/clients/kserve";
import { createPrometheusClient, type PrometheusClient } from "@/lib/clients/prometheus";
import { loadFleetSnapshot } from "@/lib/services/monitoring/fleet-snapshot";
import { startSandbox } from "@/sandbox/testing";

/**
 * The monitoring overview with 20 services (issue 6: "renders with its data in under 1 s on a
 * warm server"). Seeds 15 InferenceServices next to the sandbox's 5, waits until they serve
 * traffic, then measures:
 * 1. the overview's data load without any cache (one KServe list + three Prometheus range
 *    queries, the work behind every cache miss), with the number of Prometheus calls;
 * 2. with MONITORING_BENCH_APP_URL (a running production server on a sandbox at
 *    MONITORING_BENCH_SANDBOX_URL) and MONITORING_BENCH_STORAGE_STATE (a Playwright storage state
 *    of an OnCall person, e.g. e2e/.auth/omar.json): GET /monitoring, warm, checking the HTML
 *    holds all 20 services' rows.
 * Run: npx tsx bench/monitoring.bench.ts
 */

const SERVICES = 20;
const RUNS = 20;
const namespace = "models";
const token = process.env.MONITORING_BENCH_SANDBOX_TOKEN ?? "sandbox-dev-token";

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];
const summary = (values: number[]) =>
  `p50 ${percentile(values, 0.5).toFixed(0)} ms, p95 ${percentile(values, 0.95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

async function seedServices(kserve: KServeClient) {
  const existing = new Set((await kserve.list({ namespace })).map((s) => s.metadata.name));
  const formats = ["sklearn", "xgboost", "lightgbm", "onnx"];
  for (let i = 0; existing.size < SERVICES; i += 1) {
    const name = `bench-model-${String(i).padStart(2, "0")}`;
    if (existing.has(name)) continue;
    await kserve.create(
      {
        metadata: { name },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: formats[i % formats.length] },
              storageUri: `https://switchboardmodels.blob.core.windows.net/models/${name}/1`,
            },
          },
        },
      },
      namespace,
    );
    existing.add(name);
  }
}

async function waitForTraffic(kserve: KServeClient, prometheus: PrometheusClient) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const snapshot = await loadFleetSnapshot({ kserve, prometheus, scheme: "knative", namespace });
    const serving = snapshot.services.filter((s) => s.metrics.requestRate !== null).length;
    if (serving >= SERVICES) return;
    if (Date.now() > deadline) throw new Error(`only ${serving} of ${SERVICES} services report traffic`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function main() {
  const appUrl = process.env.MONITORING_BENCH_APP_URL;
  const external = process.env.MONITORING_BENCH_SANDBOX_URL;
  const sandbox = external ? undefined : await startSandbox({ speed: 50 });
  const sandboxUrl = external ?? sandbox!.url;
  const getToken = async () => sandbox?.token ?? token;
  const kserve = createKServeClient({ apiUrl: sandboxUrl, getToken, namespace });
  let prometheusCalls = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input).includes("/api/v1/")) prometheusCalls += 1;
    return fetch(input, init);
  };
  const prometheus = createPrometheusClient({ baseUrl: sandboxUrl, getToken, fetch: countingFetch });
  try {
    await seedServices(kserve);
    await waitForTraffic(kserve, prometheus);

    const loads: number[] = [];
    prometheusCalls = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      const snapshot = await loadFleetSnapshot({ kserve, prometheus, scheme: "knative", namespace });
      loads.push(performance.now() - started);
      if (snapshot.services.length < SERVICES)
        throw new Error(`the overview lists ${snapshot.services.length} services`);
    }
    console.log(
      `overview data, ${SERVICES} services, no cache (${RUNS} runs): ${summary(loads)}; ${prometheusCalls / RUNS} Prometheus queries per load`,
    );

    if (appUrl) {
      const state = JSON.parse(
        readFileSync(process.env.MONITORING_BENCH_STORAGE_STATE ?? "e2e/.auth/omar.json", "utf8"),
      ) as { cookies: Array<{ name: string; value: string }> };
      const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      const names = (await kserve.list({ namespace })).map((s) => s.metadata.name);
      const get = async () => {
        const started = performance.now();
        const response = await fetch(`${appUrl}/monitoring`, { headers: { cookie }, redirect: "manual" });
        const html = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`GET /monitoring answered ${response.status}`);
        const missing = names.filter((name) => !html.includes(`>${name}<`));
        if (missing.length) throw new Error(`the page lacks rows for ${missing.join(", ")}`);
        return elapsed;
      };
      for (let i = 0; i < 3; i += 1) await get();
      const pages: number[] = [];
      for (let run = 0; run < RUNS; run += 1) pages.push(await get());
      console.log(
        `GET /monitoring, ${names.length} services, warm (${RUNS} runs, full HTML with every row): ${summary(pages)}`,
      );
    }
  } finally {
    await sandbox?.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
