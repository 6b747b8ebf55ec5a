import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createMlflowClient } from "@/lib/clients/mlflow";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/**
 * The real upstream MLflow 2.22 server for benches: started with ../shared/mlflow-server/start.sh on
 * BENCH_MLFLOW_PORT, its data kept in BENCH_MLFLOW_DIR so loaded runs survive, unless BENCH_MLFLOW_URL
 * names a running one (BENCH_MLFLOW_PID, its process, lets a bench measure the server's CPU).
 */
export function startMlflow(): { url: string; pid: number | undefined; stop: () => void } {
  if (process.env.BENCH_MLFLOW_URL)
    return {
      url: process.env.BENCH_MLFLOW_URL,
      pid: process.env.BENCH_MLFLOW_PID ? Number(process.env.BENCH_MLFLOW_PID) : undefined,
      stop: () => undefined,
    };
  const port = process.env.BENCH_MLFLOW_PORT ?? "5077";
  const dir = process.env.BENCH_MLFLOW_DIR ?? path.join(tmpdir(), "switchboard-bench-mlflow");
  const started = spawnSync(path.join(repoRoot, "../shared/mlflow-server/start.sh"), [port, dir], {
    encoding: "utf8",
  });
  if (started.status !== 0) throw new Error(`could not start MLflow: ${started.stderr || started.stdout}`);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: Number(readFileSync(path.join(dir, "server.pid"), "utf8")),
    stop: () => void spawnSync("bash", ["-c", `kill -TERM -"$(cat ${dir}/server.pid)"`]),
  };
}

/** An MLflow client that counts its calls per endpoint and the bytes it reads. */
export function countingClient(baseUrl: string) {
  const counters = { calls: new Map<string, number>(), bytes: 0 };
  const countingFetch: typeof fetch = async (input, init) => {
    const endpoint = new URL(String(input)).pathname.replace("/api/2.0/mlflow/", "");
    counters.calls.set(endpoint, (counters.calls.get(endpoint) ?? 0) + 1);
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    counters.bytes += body.byteLength;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const client = createMlflowClient({ baseUrl, fetch: countingFetch, timeoutMs: 600_000 });
  const reset = () => {
    counters.calls.clear();
    counters.bytes = 0;
  };
  const total = () => [...counters.calls.values()].reduce((a, b) => a + b, 0);
  return { client, counters, reset, total };
}
