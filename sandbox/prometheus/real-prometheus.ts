import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/**
 * A real Prometheus (Debian's `prometheus` package, 2.42 here) scraping a sandbox's /metrics:
 * `npm run dev` runs it next to the sandbox, the differential tests and CI start their own.
 * The configuration is infra/prometheus/prometheus.yml with the target and interval filled in.
 */

export const prometheusConfigFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../infra/prometheus/prometheus.yml",
);

/** The `prometheus` executable: $PROMETHEUS_BINARY, else the first on PATH; undefined when absent. */
export function findPrometheus(env: Record<string, string | undefined> = process.env): string | undefined {
  const candidates = env.PROMETHEUS_BINARY
    ? [env.PROMETHEUS_BINARY]
    : (env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, "prometheus"));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** infra/prometheus/prometheus.yml scraping `target` (host:port) every `scrapeInterval` (e.g. "1s"). */
export function renderPrometheusConfig(options: { target: string; scrapeInterval?: string }): string {
  const interval = options.scrapeInterval ?? "5s";
  if (!/^\d+(ms|s|m)$/.test(interval)) throw new RangeError(`not a scrape interval: ${interval}`);
  if (!/^[\w.-]+:\d+$/.test(options.target))
    throw new RangeError(`not a host:port target: ${options.target}`);
  return readFileSync(prometheusConfigFile, "utf8")
    .replace(/(scrape_interval: )\S+/g, `$1${interval}`)
    .replace(/targets: \[.*\]/, `targets: ["${options.target}"]`);
}

/** The sandbox's host:port as a scrape target. */
export const scrapeTargetOf = (sandboxUrl: string) => {
  const url = new URL(sandboxUrl);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;
};

export interface PrometheusLaunch {
  command: string;
  args: string[];
  url: string;
  /** Holds the rendered configuration and the TSDB; remove it when done. */
  directory: string;
}

/** Writes a configuration into a fresh directory and returns how to start Prometheus on it. */
export function preparePrometheus(options: {
  binary: string;
  port: number;
  target: string;
  scrapeInterval?: string;
}): PrometheusLaunch {
  const directory = mkdtempSync(path.join(tmpdir(), "switchboard-prometheus-"));
  const config = path.join(directory, "prometheus.yml");
  writeFileSync(config, renderPrometheusConfig(options));
  return {
    command: options.binary,
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(directory, "data")}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      "--log.level=warn",
    ],
    url: `http://127.0.0.1:${options.port}`,
    directory,
  };
}

export interface RunningPrometheus {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts Prometheus and waits (bounded) until it is ready; stop() ends it and removes its data. */
export async function startPrometheus(options: {
  binary: string;
  port: number;
  target: string;
  scrapeInterval?: string;
  readyTimeoutMs?: number;
}): Promise<RunningPrometheus> {
  const launch = preparePrometheus(options);
  const child = spawn(launch.command, launch.args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(launch.directory, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${launch.url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok)
        return { url: launch.url, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`Prometheus did not become ready on ${launch.url}:\n${stderr}`);
}

// CLI for CI: `tsx sandbox/prometheus/real-prometheus.ts --port 9090 --target 127.0.0.1:4010 [--scrape-interval 1s]`
// runs Prometheus in the foreground until SIGTERM or SIGINT.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      target: { type: "string" },
      "scrape-interval": { type: "string", default: "1s" },
    },
  });
  const binary = findPrometheus();
  if (!binary) throw new Error("no prometheus binary on PATH (Debian: apt-get install prometheus)");
  const running = await startPrometheus({
    binary,
    port: Number(values.port),
    target: values.target ?? "",
    scrapeInterval: values["scrape-interval"],
  });
  process.stdout.write(
    `Prometheus ${running.url} scraping ${values.target} every ${values["scrape-interval"]}\n`,
  );
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => ((stopping = true), void running.stop().then(() => process.exit(0))));
  running.process.once("exit", (code) => stopping || process.exit(code ?? 1));
}
