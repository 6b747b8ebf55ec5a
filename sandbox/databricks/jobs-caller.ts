import type { SandboxContext } from "../lib/context";

/**
 * How the sandbox's orchestrators (Airflow, Data Factory) reach the Jobs API: over HTTP on the
 * sandbox's own base URL, as their operators reach a workspace, at the API version each one uses.
 */
export function createJobsCaller(context: SandboxContext, version: "2.1" | "2.2") {
  return async function callJobs(path: string, init?: { method?: string; body?: unknown }) {
    const response = await fetch(`${context.baseUrl}/api/${version}/jobs/${path}`, {
      method: init?.method ?? "GET",
      headers: { authorization: `Bearer ${context.token}`, "content-type": "application/json" },
      body: init?.body ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new Error(`Databricks ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
}
