import { register } from "node:module";
import { performance } from "node:perf_hooks";
import type { CurrentUser } from "@/lib/auth/session";

/**
 * A feature view's page: what getView costs against the sandbox's Feast registry and MLflow over HTTP,
 * with the registry snapshot warm (it is cached for 15 s), and how many MLflow requests its lineage makes.
 * Run once as the sandbox answers (milliseconds) and once with each MLflow request delayed, as a hosted
 * MLflow answers (hundreds of milliseconds), where the number of round trips in a row decides the time.
 *   npx tsx bench/features.bench.ts   BENCH_FEATURES_ROUNDS rounds per view (default 5),
 *                                     BENCH_MLFLOW_LATENCY_MS the added delay (default 300).
 */

// lib/dal imports server-only, which throws outside React Server Components: stand in an empty module, as vitest does.
register(
  `data:text/javascript,${encodeURIComponent('export async function resolve(specifier, context, next) { return specifier === "server-only" ? { url: "data:text/javascript,", shortCircuit: true } : next(specifier, context); }')}`,
);

const { createFeatureService } = await import("@/lib/dal/features");
const { createFeastClient } = await import("@/lib/clients/feast");
const { createMlflowClient } = await import("@/lib/clients/mlflow");
const { startSandbox } = await import("@/sandbox/testing");

const user: CurrentUser = { id: "bench", oid: "bench", name: "Bench", email: null, roles: ["DataScientist"] };
// Which runs Switchboard launched is one indexed query on our own PostgreSQL: not what is measured here.
const noLaunchedRuns = { trainingRun: { findMany: async () => [] } } as never;
const rounds = Number(process.env.BENCH_FEATURES_ROUNDS ?? 5);
const latencyMs = Number(process.env.BENCH_MLFLOW_LATENCY_MS ?? 300);

const sandbox = await startSandbox({ speed: 20 });
try {
  const getToken = async () => sandbox.token;
  const calls = new Map<string, number>();
  const countingFetch: typeof fetch = (input, init) => {
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname.replace(
      /^.*\/mlflow\//,
      "",
    );
    calls.set(path, (calls.get(path) ?? 0) + 1);
    return fetch(input, init);
  };
  const service = createFeatureService({
    feast: createFeastClient({ baseUrl: `${sandbox.url}/feast`, getToken }),
    project: "telco_churn",
    mlflow: createMlflowClient({ baseUrl: sandbox.url, getToken, fetch: countingFetch }),
    db: noLaunchedRuns,
  });
  const { views } = await service.listViews(user); // warms the registry snapshot, as a page view after the list would
  for (const delay of [0, latencyMs]) {
    await sandbox.injectFaults(delay ? [{ path: "^/api/2\\.0/mlflow/", latencyMs: delay }] : []);
    console.log(
      `Sandbox registry (${views.length} views) and seeded MLflow, ${delay} ms added per MLflow request, ${rounds} rounds per view, snapshot warm:`,
    );
    await measureViews(views);
  }
  await sandbox.clearFaults();

  async function measureViews(views: { name: string; services: string[] }[]) {
    for (const view of views) {
      await service.getView(user, view.name); // one unmeasured round: connections and the sandbox's own caches
      calls.clear();
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const start = performance.now();
        await service.getView(user, view.name);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const perView = [...calls].map(([path, n]) => `${path} ×${n / rounds}`).join(", ");
      console.log(
        `  ${view.name.padEnd(26)} ${view.services.length} services  median ${times[Math.floor(rounds / 2)].toFixed(0)} ms  (MLflow per view: ${perView || "none"})`,
      );
    }
  }
} finally {
  await sandbox.close();
}
